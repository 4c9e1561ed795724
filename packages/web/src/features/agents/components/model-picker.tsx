import type { ModelChoice, Provider } from "@oratio/sdk";
import { Input, NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";

const SPEECH_ONLY = new Set(["deepgram", "elevenlabs", "cartesia"]);

/** Providers that serve language models (speech vendors only turn audio into text and back). */
export const languageModelProviders = (providers: Provider[]) =>
  providers.filter((p) => !SPEECH_ONLY.has(p.type));

/** A provider and a model name, side by side. */
export function ModelPicker({
  id,
  label,
  value,
  providers,
  onChange,
}: {
  id: string;
  label: string;
  value: ModelChoice;
  providers: Provider[];
  onChange: (value: ModelChoice) => void;
}) {
  return (
    <fieldset className="grid gap-2 sm:grid-cols-2">
      <legend className="sr-only">{label}</legend>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-provider`}>{label} provider</Label>
        <NativeSelect
          id={`${id}-provider`}
          value={value.providerId}
          onChange={(e) => onChange({ ...value, providerId: e.target.value })}
        >
          <option value="local">Local model store</option>
          {languageModelProviders(providers).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.type})
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-model`}>{label} name</Label>
        <Input
          id={`${id}-model`}
          required
          value={value.model}
          placeholder="e.g. gpt-4o-mini or qwen2.5-0.5b-instruct"
          onChange={(e) => onChange({ ...value, model: e.target.value })}
        />
      </div>
    </fieldset>
  );
}
