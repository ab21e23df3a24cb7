# syntax=docker/dockerfile:1
ARG BASE=python:3.12
FROM ${BASE} AS build
ENV OPENAI_API_KEY=sk-test \
    OTHER="a b"
RUN <<EOT bash
  set -e
  pip install -r requirements.txt
EOT
COPY --from=build ["/app", "/app"]
USER root
CMD ["python", "-m", "app"]
