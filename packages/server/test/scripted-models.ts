import type { LanguageModel } from "@oratio/core";
import { ScriptedModel } from "@oratio/core/testing";
import { InstantBuilderModel } from "../src/builder/testing/instant-builder-model.ts";
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

/**
 * Scripted models that can also run the agent builder: its JSON requests are answered by
 * the InstantBuilderModel (from the prompt's own input), everything else by the scripted
 * model of the same name — so one model id builds agents and then talks as them.
 */
export class ScriptedBuilderModels extends ScriptedModels {
  readonly builder = new InstantBuilderModel();

  override async resolve(): Promise<(ref: string) => LanguageModel> {
    return (ref) => {
      const chat = this.model(parseModelRef(ref).model);
      return {
        provider: chat.provider,
        modelId: chat.modelId,
        stream: (request, options) =>
          request.responseFormat?.type === "json"
            ? this.builder.stream(request, options)
            : chat.stream(request, options),
      };
    };
  }
}
