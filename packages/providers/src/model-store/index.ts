export * from "./catalogue.ts";
export * from "./list-models.ts";
export * from "./models-dir.ts";
export * from "./pull-model.ts";
