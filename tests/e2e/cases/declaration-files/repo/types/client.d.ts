export declare function ask(question: string): any;
ask("hello");
