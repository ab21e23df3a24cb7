import openai
client = openai.OpenAI()
# prodlint-ignore budget/completion-without-token-cap: reason until 2030-01-01
client.chat.completions.create(model="gpt-4", messages=[{"role": "system", "content": x}])
