# The naive ambassador: the classic 10-minute tutorial version, kept on purpose as the lab's reference for failing.
#
# It works on a sunny day and that is all. The lab's exercises improve exactly what is wrong here:
#   - no timeouts anywhere: a slow or silent upstream holds the caller (and a thread) for as long as it likes;
#   - three attempts with a fixed 3 s sleep: no backoff, no jitter, no deadline, no budget, no Retry-After;
#   - no circuit breaker: during an outage every caller still pays three attempts and six seconds;
#   - the image id from the search answer becomes a file name as it is ("../x" leaves IMAGES_DIR);
#   - whatever URL the search names is downloaded, whole, into memory, from any host, and the API key goes along;
#   - a failed write can leave half an image behind.
# Do not deploy it. `./lab grade` shows which scenarios it fails, next to the finished ambassador.
import os
import time

import requests
from flask import Flask, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

CAT_API_URL = os.environ.get("CAT_API_URL", "https://api.thecatapi.com")
CAT_API_KEY = os.environ.get("CAT_API_KEY")
IMAGES_DIR = os.environ.get("IMAGES_DIR", "/images")
PORT = int(os.environ.get("AMBASSADOR_PORT", "5001"))
ATTEMPTS = 3
SLEEP_SECONDS = 3

HEADERS = {"x-api-key": CAT_API_KEY} if CAT_API_KEY else {}

REQUESTS = Counter("ambassador_requests", "Requests answered, by status", ["status"])
DURATION = Histogram("ambassador_request_duration_seconds", "Time to answer /images/latest, retries included")
RETRIES = Counter("ambassador_retries", "Retries sent to The Cat API")
# Both statuses exist from the start, so a scrape before the first failure shows error 0 rather than nothing.
for status in ("success", "error"):
    REQUESTS.labels(status=status)

app = Flask(__name__)


def fetch_latest_image():
    search = requests.get(f"{CAT_API_URL}/v1/images/search", headers=HEADERS)
    search.raise_for_status()
    image = search.json()[0]
    download = requests.get(image["url"], headers=HEADERS)
    download.raise_for_status()
    path = f"{IMAGES_DIR}/{image['id']}.jpg"
    with open(path, "wb") as f:
        f.write(download.content)
    return {"image_id": image["id"], "url": image["url"], "width": image.get("width"),
            "height": image.get("height"), "bytes": len(download.content), "file": path}


@app.get("/images/latest")
def latest_image():
    with DURATION.time():
        for attempt in range(1, ATTEMPTS + 1):
            try:
                answer = fetch_latest_image()
                REQUESTS.labels(status="success").inc()
                return jsonify(answer)
            except Exception as error:
                app.logger.warning("attempt %d of %d failed: %s", attempt, ATTEMPTS, error)
                last_error = error
                if attempt < ATTEMPTS:
                    RETRIES.inc()
                    time.sleep(SLEEP_SECONDS)
        REQUESTS.labels(status="error").inc()
        return jsonify(error="upstream_error", reason=f"{ATTEMPTS} attempts failed: {last_error}"), 502


@app.get("/metrics")
def metrics():
    return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)


if __name__ == "__main__":
    os.makedirs(IMAGES_DIR, exist_ok=True)
    # Flask's own development server; threaded, so callers are served at once (one thread each, without limit).
    app.run(host="0.0.0.0", port=PORT, threaded=True)
