import type { LanguageModel } from "@oratio/core";
import { ScriptedModel } from "@oratio/core/testing";
import { type ModelRegistry, parseModelRef } from "../src/conversation/models.ts";

/**
 * A model registry for tests: every agent model id maps to a ScriptedModel the test
 * scripts, so conversations run through the real server with no network.
 */
export class ScriptedModels implements ModelRegistry {
  readonly byName = new Map<string, ScriptedModel>();

  model(name: string): ScriptedModel {
    let model = this.byName.get(name);
    if (!model) {
      model = new ScriptedModel({ modelId: name });
      this.byName.set(name, model);
    }
    return model;
  }

  async resolve(): Promise<(ref: string) => LanguageModel> {
    return (ref) => this.model(parseModelRef(ref).model);
  }

  assertDone(): void {
    for (const model of this.byName.values()) model.assertDone();
  }
}
