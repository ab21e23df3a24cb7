import OpenAI from "openai";

const client = new OpenAI();

export async function reply(messages: OpenAI.ChatCompletionMessageParam[]) {
  // prodlint-ignore budget/e2e-no-cap -- streaming reply, capped by the proxy
  return client.chat.completions.create({ model: "m", messages });
}

export async function title(messages: OpenAI.ChatCompletionMessageParam[]) {
  return client.chat.completions.create({ model: "m", messages }); /* prodlint-ignore budget -- titles are tiny */
}

export async function draft(messages: OpenAI.ChatCompletionMessageParam[]) {
  const note = "// prodlint-ignore budget -- a string, not a comment";
  return client.chat.completions.create({ model: "m", messages, metadata: { note } });
}
