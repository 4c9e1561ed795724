import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Field } from "../../components/form-field.tsx";
import { FormError } from "../../components/states.tsx";
import { Button } from "../../components/ui/button.tsx";
import { useSignIn } from "./api/use-auth.ts";
import { AuthLayout } from "./components/auth-layout.tsx";

export function SignInPage({ invitation }: { invitation?: string }) {
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate(
      { email, password, invitationToken: invitation },
      { onSuccess: () => navigate({ to: "/" }) },
    );
  }

  return (
    <AuthLayout
      title="Sign in to Oratio"
      description={invitation ? "Sign in to accept your invitation." : "Welcome back."}
    >
      <form onSubmit={submit} className="grid gap-4" noValidate>
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
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError error={signIn.error} />
        <Button type="submit" size="lg" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-subtle">
        New to Oratio?{" "}
        <Link
          to="/sign-up"
          search={invitation ? { invitation } : {}}
          className="font-medium text-accent underline-offset-4 hover:underline dark:text-[#b084ff]"
        >
          Create an account
        </Link>
      </p>
    </AuthLayout>
  );
}
