from openai import OpenAI

client = OpenAI(timeout=30)


def answer(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-2024-08-06",
        messages=[{"role": "user", "content": question}],
    )
    return resp.choices[0].message.content


def short_answer(question: str) -> str:
    resp = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[], max_tokens=64)
    return eval(question)
