import OpenAI from "openai";
const c = new OpenAI();
// prodlint-ignore-next-line
await c.chat.completions.create({ model: "gpt-4o", messages });
exec(`${out}`);
