0const r = <Response>await client.chat.completions.create({ model: "gpt-4o", messages });
export async function f<T extends object>(x: T): Promise<T> { return x as T; }
