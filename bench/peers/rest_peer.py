#!/usr/bin/python3
"""The Python REST peer: FastAPI + uvicorn (one worker, torch on one thread) with the original service's
GET /predict/{id} -> {"id", "predicted", "probs", "true_label"} and GET /health.
Usage: rest_peer.py --model-dir DIR --data-dir data/mnist --port 50172"""
import argparse

import uvicorn
from fastapi import FastAPI, HTTPException

import mnist_peer

parser = argparse.ArgumentParser()
parser.add_argument("--model-dir", required=True)
parser.add_argument("--data-dir", required=True)
parser.add_argument("--port", type=int, default=50172)
args = parser.parse_args()
model = mnist_peer.load_model(args.model_dir)
images, labels = mnist_peer.load_test_set(args.data_dir)
app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok"}


# A plain def: FastAPI runs it on its thread pool, as the original service's blocking torch call.
@app.get("/predict/{sample_id}")
def predict(sample_id: int):
    if not 0 <= sample_id < len(labels):
        raise HTTPException(status_code=404, detail=f"id must be 0..{len(labels) - 1}")
    digit, probs = mnist_peer.predict(model, images[sample_id].tobytes())
    return {"id": sample_id, "predicted": digit, "probs": probs, "true_label": int(labels[sample_id])}


uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
