1export function Chat() {
  const [m, setM] = useState<string>("");
  {/* prodlint-ignore budget -- capped server-side */}
  return <div onClick={async () => setM((await openai.chat.completions.create({ model: "gpt-4o", messages: [] })).choices[0].message.content ?? "")}>{m}</div>;
}
