import { Link, useNavigate } from "@tanstack/react-router";
import { ErrorState, FormError, LoadingState } from "../../components/states.tsx";
import { Button } from "../../components/ui/button.tsx";
import { useSignedIn } from "../../lib/session.tsx";
import { formatDate } from "../../lib/utils.ts";
import { AuthLayout } from "../auth/components/auth-layout.tsx";
import { useAcceptInvitation, useInvitationPreview } from "./api/queries.ts";

export function AcceptInvitationPage({ token }: { token: string }) {
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation();

  if (!token) {
    return (
      <AuthLayout title="Accept invitation">
        <p className="text-sm">
          This link has no invitation in it. Open the link from your invitation again.
        </p>
      </AuthLayout>
    );
  }
  if (preview.isPending) {
    return (
      <AuthLayout title="Accept invitation">
        <LoadingState label="Looking up your invitation…" />
      </AuthLayout>
    );
  }
  if (preview.isError) {
    return (
      <AuthLayout title="Accept invitation">
        <ErrorState error={preview.error} />
      </AuthLayout>
    );
  }
  const { organizationName, email, role, expiresAt } = preview.data;
  return (
    <AuthLayout
      title={`Join ${organizationName}`}
      description={
        <>
          You were invited as <strong className="capitalize">{role}</strong> with {email}. The invitation is
          valid until {formatDate(expiresAt)}.
        </>
      }
    >
      {signedIn ? (
        <div className="grid gap-4">
          <FormError error={accept.error} />
          <Button
            size="lg"
            disabled={accept.isPending}
            onClick={() => accept.mutate(token, { onSuccess: () => navigate({ to: "/" }) })}
          >
            {accept.isPending ? "Accepting…" : "Accept invitation"}
          </Button>
        </div>
      ) : (
        <div className="grid gap-3">
          <Button size="lg" asChild>
            <Link to="/sign-up" search={{ invitation: token, email }}>
              Sign up to join
            </Link>
          </Button>
          <Button size="lg" variant="outline" asChild>
            <Link to="/sign-in" search={{ invitation: token }}>
              Sign in to join
            </Link>
          </Button>
        </div>
      )}
    </AuthLayout>
  );
}
