import { ask } from "./ask";

export const reply = ask("hello");
