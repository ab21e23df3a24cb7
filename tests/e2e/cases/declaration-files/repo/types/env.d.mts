export declare const model: any;
