"""Chat endpoints, with the suppressions the e2e cases check."""
from openai import OpenAI

client = OpenAI()


def answer(q):
    return client.chat.completions.create(model="m", messages=q)  # prodlint-ignore budget/e2e-no-cap -- the gateway caps output at 1k tokens


def summarise(q):
    # prodlint-ignore budget -- the gateway caps output at 1k tokens
    # (another comment may sit between the suppression and the code)
    return client.chat.completions.create(model="m", messages=q)


def classify(q):
    # prodlint-ignore budget/e2e-no-cap
    return client.chat.completions.create(model="m", messages=q)


def legacy(q):
    # prodlint-ignore budget/* -- old endpoint, removed with the v2 API until 2025-03-31
    return client.chat.completions.create(model="m", messages=q)


def capped(q):
    # prodlint-ignore budget/e2e-no-cap -- capped by the gateway
    return client.chat.completions.create(model="m", messages=q, max_tokens=256)


def run(expr):
    # prodlint-ignore tool-boundary/e2e-eval reviewed by security
    return eval(expr)


HELP = "add `# prodlint-ignore <rule> -- <reason>` to silence a finding"


def tool(expr):
    return eval(expr)  # prodlint-ignore tool-boundary -- sandboxed interpreter (docs/sandbox.md) until 2025-12-31
