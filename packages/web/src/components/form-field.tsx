import type { ComponentProps } from "react";
import { Input } from "./ui/input.tsx";
import { Label } from "./ui/label.tsx";

interface FieldProps extends ComponentProps<typeof Input> {
  id: string;
  label: string;
  hint?: string;
}

/** A labelled text input; the label is always visible. */
export function Field({ id, label, hint, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={id} aria-describedby={hintId} {...input} />
      {hint && (
        <p id={hintId} className="text-xs text-subtle">
          {hint}
        </p>
      )}
    </div>
  );
}
