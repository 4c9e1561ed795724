export * from "./builtin-catalogue.ts";
export * from "./catalogue.ts";
export * from "./list-models.ts";
export * from "./load-catalogue.ts";
export * from "./models-dir.ts";
export * from "./pull-model.ts";
