import OpenAI from "openai";

const client = new OpenAI({ timeout: 20_000 });

export async function chat(prompt: string) {
  return client.chat.completions.create({ model: "gpt-4o-2024-08-06", messages: [{ role: "user", content: prompt }] });
}

export async function capped(prompt: string) {
  return client.chat.completions.create({ model: "gpt-4o-2024-08-06", max_tokens: 200, messages: [] });
}
