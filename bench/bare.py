"""The baseline of bench/load.py: a bare Flask endpoint, served by the same gunicorn settings as the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/ok")
def ok():
    return "ok"
