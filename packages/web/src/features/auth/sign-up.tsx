import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Field } from "../../components/form-field.tsx";
import { FormError } from "../../components/states.tsx";
import { Button } from "../../components/ui/button.tsx";
import { useSignUp } from "./api/use-auth.ts";
import { AuthLayout } from "./components/auth-layout.tsx";

export function SignUpPage({ invitation, email: invitedEmail }: { invitation?: string; email?: string }) {
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(invitedEmail ?? "");
  const [password, setPassword] = useState("");
  const [organizationName, setOrganizationName] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate(
      invitation
        ? { name, email, password, invitationToken: invitation }
        : { name, email, password, organizationName },
      { onSuccess: () => navigate({ to: "/" }) },
    );
  }

  return (
    <AuthLayout
      title="Create your account"
      description={
        invitation
          ? "Create an account to join the organization that invited you."
          : "Set up Oratio for your business."
      }
    >
      <form onSubmit={submit} className="grid gap-4" noValidate>
        <Field
          id="name"
          label="Name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {!invitation && (
          <Field
            id="organization"
            label="Organization"
            autoComplete="organization"
            required
            hint="Your business or team, e.g. Lovelace Dental."
            value={organizationName}
            onChange={(e) => setOrganizationName(e.target.value)}
          />
        )}
        <FormError error={signUp.error} />
        <Button type="submit" size="lg" disabled={signUp.isPending}>
          {signUp.isPending ? "Signing up…" : "Sign up"}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-subtle">
        Already have an account?{" "}
        <Link
          to="/sign-in"
          search={invitation ? { invitation } : {}}
          className="font-medium text-accent underline-offset-4 hover:underline dark:text-[#b084ff]"
        >
          Sign in
        </Link>
      </p>
    </AuthLayout>
  );
}
