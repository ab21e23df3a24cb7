from openai import OpenAI

client = OpenAI(timeout=30)


def answer(question: str) -> str:
    resp = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
    return eval(question)
