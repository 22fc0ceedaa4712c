"""Turns k8s/base into what `podman kube play` can run, changing only what podman cannot follow.

Usage (scripts/e2e-containers.sh calls it):
  manifests.py claim K8S_DIR                          the PersistentVolumeClaim, as written
  manifests.py job-pod K8S_DIR EMPTY_DIR_ROOT NAME IMAGE [--OPTION VALUE]...
                                                      the Job's pod template as a Pod; each option replaces the value
                                                      the manifest's args give it, or is appended
  manifests.py replica K8S_DIR EMPTY_DIR_ROOT INDEX IMAGE GRPC_HOST_PORT HTTP_HOST_PORT SECRETS_DIR
                                                      the Deployment with one replica, named -INDEX, ports on 127.0.0.1;
                                                      its Secret volumes hold the base's generated files, each replaced
                                                      by SECRETS_DIR/SECRET_NAME/FILE when that exists (the operator's keys)
  manifests.py keys-file K8S_DIR                      SECRET_NAME/FILE: the Secret file the Deployment's API_KEYS_FILE names
  manifests.py keys-volume K8S_DIR                    the name of the pod's volume that holds it
  manifests.py get K8S_DIR KIND PATH [DEFAULT]        one value, e.g. `get k8s Deployment spec.replicas`; DEFAULT if absent

What is changed and why:
- image: the logical name (kustomize maps it to a registry) becomes the locally built tag.
- Job: podman plays Pods, not Jobs; the pod template runs as it is, with the trainer's --limit added (and
  another --seed for the second run, so that it writes a different model).
- Deployment: podman gives every replica of one Deployment the same ports, and the only way to reach a pod
  from the host without its bridge address is a hostPort. So each replica is played as its own one-replica
  Deployment with a hostPort on 127.0.0.1 (the script does the Service's part: it knows both addresses).
- emptyDir: podman 4.3 makes one named volume per emptyDir name, shared by every pod that names it. Each
  pod gets its own directory under EMPTY_DIR_ROOT instead (a hostPath, created world-writable like /tmp),
  which is what the kubelet gives an emptyDir without a medium. sizeLimit is not enforced.
- Secret volumes: podman 4.3 plays a kind: Secret, but mounts its `data` still base64-encoded, ignores
  `stringData`, and panics on a secret volume without `optional`. So each Secret volume becomes a directory of
  its files under EMPTY_DIR_ROOT (a hostPath, read-only to the pod's user), what the kubelet writes for a Secret:
  the files of the base's secretGenerator, replaced by the operator's own from SECRETS_DIR (an overlay's
  `behavior: replace`). Rewriting a file there is the kubelet's update of a mounted Secret.
- fsGroup and probes are not applied by podman; scripts/e2e-containers.sh does the kubelet's part.
"""
import copy
import sys
from pathlib import Path

import yaml


def base_kustomization(k8s_dir):
    return yaml.safe_load((Path(k8s_dir) / "base" / "kustomization.yaml").read_text())


def documents(k8s_dir):
    base = Path(k8s_dir) / "base"
    kustomization = base_kustomization(k8s_dir)
    for resource in kustomization["resources"]:
        for doc in yaml.safe_load_all((base / resource).read_text()):
            if doc:
                yield doc


def single(k8s_dir, kind):
    found = [d for d in documents(k8s_dir) if d["kind"] == kind]
    if len(found) != 1:
        sys.exit(f"manifests.py: expected one {kind} in {k8s_dir}/base, found {len(found)}")
    return found[0]


def only_container(pod_spec):
    containers = pod_spec["containers"]
    if len(containers) != 1:
        sys.exit(f"manifests.py: expected one container, found {len(containers)}")
    return containers[0]


def own_empty_dirs(pod_spec, empty_dir_root, pod_name):
    for volume in pod_spec.get("volumes", []):
        if "emptyDir" in volume:
            path = Path(empty_dir_root) / pod_name / volume["name"]
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o1777)
            del volume["emptyDir"]
            volume["hostPath"] = {"path": str(path), "type": "Directory"}


def generated_secret_files(k8s_dir, name):
    """The files of the base's secretGenerator NAME, as {key: source path} (entries are FILE or KEY=FILE)."""
    for generator in base_kustomization(k8s_dir).get("secretGenerator", []):
        if generator["name"] == name:
            entries = [entry.split("=", 1) if "=" in entry else [Path(entry).name, entry] for entry in generator.get("files", [])]
            return {key: Path(k8s_dir) / "base" / source for key, source in entries}
    sys.exit(f"manifests.py: no secretGenerator {name} in {k8s_dir}/base")


def own_secret_dirs(k8s_dir, pod_spec, empty_dir_root, pod_name, secrets_dir):
    for volume in pod_spec.get("volumes", []):
        if "secret" in volume:
            name = volume["secret"]["secretName"]
            path = Path(empty_dir_root) / pod_name / volume["name"]
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o755)
            for key, source in generated_secret_files(k8s_dir, name).items():
                supplied = Path(secrets_dir) / name / key
                target = path / key
                target.write_bytes((supplied if supplied.exists() else source).read_bytes())
                target.chmod(0o644)  # the kubelet's defaultMode
            del volume["secret"]
            volume["hostPath"] = {"path": str(path), "type": "Directory"}


def keys_mount(k8s_dir):
    """(volume, Secret name, file in it) of the Deployment's API_KEYS_FILE."""
    spec = single(k8s_dir, "Deployment")["spec"]["template"]["spec"]
    container = only_container(spec)
    file = next(e["value"] for e in container.get("env", []) if e["name"] == "API_KEYS_FILE")
    mount = next(m for m in container.get("volumeMounts", []) if file.startswith(m["mountPath"].rstrip("/") + "/"))
    volume = next(v for v in spec["volumes"] if v["name"] == mount["name"])
    return volume["name"], volume["secret"]["secretName"], file[len(mount["mountPath"].rstrip("/")) + 1:]


def claim(k8s_dir):
    return single(k8s_dir, "PersistentVolumeClaim")


def job_pod(k8s_dir, empty_dir_root, name, image, extra_args):
    job = single(k8s_dir, "Job")
    template = copy.deepcopy(job["spec"]["template"])
    metadata = template.get("metadata", {})
    metadata["name"] = name
    own_empty_dirs(template["spec"], empty_dir_root, name)
    container = only_container(template["spec"])
    container["image"] = image
    args = list(container.get("args", []))
    for option, value in zip(extra_args[::2], extra_args[1::2]):
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    container["args"] = args
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"]}


def replica(k8s_dir, empty_dir_root, index, image, grpc_host_port, http_host_port, secrets_dir):
    deployment = copy.deepcopy(single(k8s_dir, "Deployment"))
    deployment["metadata"]["name"] = f"{deployment['metadata']['name']}-{index}"
    deployment["spec"]["replicas"] = 1
    own_empty_dirs(deployment["spec"]["template"]["spec"], empty_dir_root, deployment["metadata"]["name"])
    own_secret_dirs(k8s_dir, deployment["spec"]["template"]["spec"], empty_dir_root, deployment["metadata"]["name"], secrets_dir)
    container = only_container(deployment["spec"]["template"]["spec"])
    container["image"] = image
    host_ports = {"grpc": int(grpc_host_port), "http": int(http_host_port)}
    # Only the public ports are published; the metrics port stays inside the pod, as the NetworkPolicy keeps it.
    container["ports"] = [port for port in container["ports"] if port["name"] in host_ports]
    for port in container["ports"]:
        port["hostIP"] = "127.0.0.1"
        port["hostPort"] = host_ports[port["name"]]
    return deployment


def get(k8s_dir, kind, path, *default):
    value = single(k8s_dir, kind)
    for key in path.split("."):
        try:
            value = value[int(key)] if isinstance(value, list) else value[key]
        except (KeyError, IndexError):
            if default:
                return default[0]
            sys.exit(f"manifests.py: {kind} has no {path}")
    return value


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    command, k8s_dir, rest = argv[1], argv[2], argv[3:]
    if command == "get":
        print(get(k8s_dir, *rest))
        return
    if command in ("keys-file", "keys-volume"):
        volume, secret, file = keys_mount(k8s_dir)
        print(f"{secret}/{file}" if command == "keys-file" else volume)
        return
    renderers = {"claim": claim, "job-pod": job_pod, "replica": replica}
    if command not in renderers:
        sys.exit(__doc__)
    if command == "job-pod":
        doc = job_pod(k8s_dir, rest[0], rest[1], rest[2], rest[3:])
    else:
        doc = renderers[command](k8s_dir, *rest)
    yaml.safe_dump(doc, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv)
