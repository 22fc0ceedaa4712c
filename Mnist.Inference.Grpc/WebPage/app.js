// The MNIST page: draw, upload or pick a test sample; everything goes through the transcoded /v1 API.
"use strict";

const $ = (id) => document.getElementById(id);
const pad = $("pad");
const ctx = pad.getContext("2d");
const TEST_SET_SIZE = 10000;
let drawing = false;
let inked = false;
let predictTimer = 0;
let requestSeq = 0;
let cardVersion; // undefined until the first health answer, then the version the card shows (null: none)

// ---- the server -------------------------------------------------------------------------------

// A server with API keys on answers 401; the page then asks for a key and keeps it in this tab's session storage
// only (gone when the tab closes; never in localStorage or a cookie).
const KEY_ITEM = "mnist-api-key";

function withKey(init = {}) {
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? { ...init, headers: { ...init.headers, Authorization: `Bearer ${key}` } } : init;
}

function askForKey(message) {
  $("key-form").hidden = false;
  $("key-message").textContent = message;
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, withKey(init));
  } catch {
    throw new Error("The server cannot be reached. Is it running?");
  }
  if (response.status === 401) {
    const hadKey = sessionStorage.getItem(KEY_ITEM) !== null;
    askForKey(hadKey ? "The server did not accept this key. Enter another one." : "This server needs an API key.");
    throw new Error("This server needs an API key: enter it above.");
  }
  return response;
}

async function callApi(path, init) {
  const response = await send(path, init);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body?.message || `The server answered HTTP ${response.status}.`);
  }
  return body;
}

// Images need the key too, so they are fetched and shown from a blob: URL (the CSP allows blob: images).
async function showImage(image, path) {
  const response = await send(path);
  if (!response.ok) throw new Error(`The server answered HTTP ${response.status}.`);
  const old = image.src;
  image.src = URL.createObjectURL(await response.blob());
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_ITEM, key);
  $("api-key").value = "";
  $("key-form").hidden = true;
  cardVersion = undefined;
  refreshHealth();
});

async function refreshHealth() {
  const status = $("status");
  try {
    const health = await callApi("/v1/health");
    const serving = health.status === "SERVING";
    status.dataset.state = serving ? "serving" : "down";
    status.textContent = serving ? "Serving" : `Not serving: ${health.message || "no model is loaded"}`;
    $("model-version").textContent = health.modelVersion ? health.modelVersion.slice(0, 12) : "none loaded";
    $("model-version").title = health.modelVersion || "";
    if ((health.modelVersion || null) !== cardVersion) refreshCard(health.modelVersion || null);
  } catch (error) {
    status.dataset.state = "down";
    status.textContent = `Not serving: ${error.message}`;
  }
}

// ---- the model card ---------------------------------------------------------------------------

async function refreshCard(version) {
  cardVersion = version;
  const message = $("card-message");
  if (!version) {
    $("card-body").hidden = true;
    message.hidden = false;
    message.textContent = "No model is loaded, so there is no model card.";
    return;
  }
  try {
    showCard(await callApi("/v1/model"));
    message.hidden = true;
  } catch (error) {
    $("card-body").hidden = true;
    message.hidden = false;
    message.textContent = `No model card: ${error.message}`;
  }
}

function showCard(card) {
  const percent = (x) => `${(x * 100).toFixed(2)}%`;
  const hp = card.hyperParameters || {};
  $("card-accuracy").textContent = `${percent(card.testAccuracy)} of ${card.testImages} images`;
  $("card-date").textContent = new Date(card.createdTime).toLocaleString();
  $("card-version").textContent = card.modelVersion.slice(0, 12);
  $("card-version").title = card.modelVersion;
  $("card-training").textContent = `${hp.epochs} epoch(s) on ${card.trainingImages} images, batch ${hp.batchSize}, lr ${hp.learningRate}, seed ${hp.seed}`;
  // The version in the query: the plot names stay the same from one model to the next.
  for (const name of card.plots || []) {
    const image = $(`plot-${name.replace(/\.png$/, "")}`);
    if (image) showImage(image, `/v1/model/plots/${encodeURIComponent(name)}?v=${card.modelVersion.slice(0, 12)}`).catch(() => {});
  }
  const list = $("card-confused");
  list.replaceChildren(...(card.mostConfused || []).map((sample) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "confused-sample";
    button.dataset.id = String(sample.id);
    button.textContent = `#${sample.id}: ${sample.label} read as ${sample.predicted} (${(sample.confidence * 100).toFixed(1)}%)`;
    button.addEventListener("click", () => {
      $("sample-id").value = String(sample.id);
      classifySample(sample.id);
      $("sample-title").scrollIntoView({ behavior: "smooth", block: "start" });
    });
    item.append(button);
    return item;
  }));
  $("card-body").hidden = false;
}

// ---- results ----------------------------------------------------------------------------------

function buildBars() {
  const bars = $("bars");
  for (let digit = 0; digit < 10; digit++) {
    const item = document.createElement("li");
    item.innerHTML = `<span class="label">${digit}</span><span class="bar"><span></span></span><span class="pct">–</span>`;
    bars.append(item);
  }
}

function showPrediction(prediction, source) {
  $("error").hidden = true;
  $("result-digit").textContent = String(prediction.digit);
  $("result-confidence").textContent = `${(prediction.confidence * 100).toFixed(1)}% confident`;
  $("result-source").textContent = source;
  [...$("bars").children].forEach((item, digit) => {
    const p = prediction.probabilities[digit] ?? 0;
    item.classList.toggle("top", digit === prediction.digit);
    item.querySelector(".bar span").style.width = `${(p * 100).toFixed(1)}%`;
    item.querySelector(".pct").textContent = `${(p * 100).toFixed(1)}%`;
    item.setAttribute("aria-label", `${digit}: ${(p * 100).toFixed(1)} percent`);
  });
}

function showError(message) {
  const error = $("error");
  error.textContent = message;
  error.hidden = false;
}

async function predictImage(base64, source) {
  const seq = ++requestSeq;
  try {
    const prediction = await callApi("/v1/predict", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ image: base64 }),
    });
    if (seq === requestSeq) showPrediction(prediction, source);
  } catch (error) {
    if (seq === requestSeq) showError(error.message);
  }
}

// ---- drawing ----------------------------------------------------------------------------------

function clearPad() {
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, pad.width, pad.height);
  inked = false;
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
}

pad.addEventListener("pointerdown", (event) => {
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  drawing = true;
  clearTimeout(predictTimer);
  const [x, y] = point(event);
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x + 0.1, y);
  ctx.stroke();
  inked = true;
});

pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  const [x, y] = point(event);
  ctx.lineTo(x, y);
  ctx.stroke();
});

function endStroke() {
  if (!drawing) return;
  drawing = false;
  // Wait a moment: a digit like 4 or 7 often takes a second stroke.
  clearTimeout(predictTimer);
  predictTimer = setTimeout(predictDrawing, 350);
}
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);

function predictDrawing() {
  if (!inked) return;
  const base64 = pad.toDataURL("image/png").split(",")[1];
  predictImage(base64, "from your drawing");
}

$("clear").addEventListener("click", () => {
  clearPad();
  $("result-digit").textContent = "–";
  $("result-confidence").textContent = "Draw, upload or pick a test sample.";
  $("result-source").textContent = "";
});

// ---- uploads --------------------------------------------------------------------------------

function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1] ?? "");
    reader.onerror = () => reject(new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}

async function predictFile(file) {
  if (!file) return;
  try {
    const base64 = await readAsBase64(file);
    previewFile(file);
    await predictImage(base64, `from ${file.name}`);
  } catch (error) {
    showError(error.message);
  }
}

function previewFile(file) {
  const url = URL.createObjectURL(file);
  const image = new Image();
  image.onload = () => {
    clearPad();
    const scale = Math.min(pad.width / image.width, pad.height / image.height);
    const w = image.width * scale, h = image.height * scale;
    ctx.drawImage(image, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    URL.revokeObjectURL(url);
  };
  image.src = url;
}

$("file").addEventListener("change", (event) => predictFile(event.target.files[0]));

const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("dragging"); });
drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("dragging");
  predictFile(event.dataTransfer.files[0]);
});

// ---- test samples -------------------------------------------------------------------------------

async function classifySample(id) {
  const seq = ++requestSeq;
  try {
    const sample = await callApi(`/v1/test-samples/${encodeURIComponent(id)}`);
    if (seq !== requestSeq) return;
    $("sample").hidden = false;
    await showImage($("sample-image"), `/v1/test-samples/${sample.id}/image.png`);
    if (seq !== requestSeq) return;
    $("sample-image").alt = `MNIST test sample ${sample.id}, a handwritten ${sample.label}`;
    $("sample-label").textContent = String(sample.label);
    const verdict = $("sample-verdict");
    verdict.textContent = sample.correct ? "✓ predicted correctly" : "✗ predicted wrongly";
    verdict.className = sample.correct ? "ok" : "bad";
    showPrediction(sample.prediction, `test sample #${sample.id}`);
  } catch (error) {
    if (seq === requestSeq) showError(error.message);
  }
}

$("sample-form").addEventListener("submit", (event) => {
  event.preventDefault();
  classifySample($("sample-id").value.trim());
});

$("sample-random").addEventListener("click", () => {
  const id = Math.floor(Math.random() * TEST_SET_SIZE);
  $("sample-id").value = String(id);
  classifySample(id);
});

// ---- start --------------------------------------------------------------------------------------

ctx.lineWidth = 22;
ctx.lineCap = "round";
ctx.lineJoin = "round";
ctx.strokeStyle = "#fff";
clearPad();
buildBars();
refreshHealth();
setInterval(refreshHealth, 10000);
