from openai import OpenAI

client = OpenAI()


def answer(q):
    # The first model call is where the repo-level finding is reported.
    # prodlint-ignore eval-gate/e2e-no-evals -- evals run from the platform repo (platform/evals/chat)
    return client.chat.completions.create(model="m", messages=q, max_tokens=256)


def summarise(q):
    # prodlint-ignore eval-gate -- the finding is reported at the first call only
    return client.chat.completions.create(model="m", messages=q, max_tokens=256)
