import { ApiError } from "@oratio/sdk";
import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { type RefObject, useEffect, useState } from "react";
import { ErrorState, LoadingState } from "../../../components/states.tsx";
import { buttonVariants } from "../../../components/ui/button.tsx";
import { useApi } from "../../../lib/api.tsx";
import { useOrgKey } from "../../../lib/org-query.ts";

/**
 * The call recording, fetched with the user's credentials (an <audio src> could not send
 * them) and played from a blob URL. The page follows `onTime` to highlight what is being
 * said and moves the player through `audioRef` when an entry is clicked.
 */
export function RecordingPlayer({
  sessionId,
  audioRef,
  onTime,
  onPlayingChange,
}: {
  sessionId: string;
  audioRef: RefObject<HTMLAudioElement | null>;
  onTime: (ms: number) => void;
  onPlayingChange: (playing: boolean) => void;
}) {
  const client = useApi();
  const key = useOrgKey();
  const recording = useQuery({
    queryKey: key("sessions", sessionId, "recording"),
    queryFn: ({ signal }) => client.sessions.recording(sessionId, { signal }),
    // The file is written when the call ends and never changes afterwards.
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!recording.data) return;
    const objectUrl = URL.createObjectURL(recording.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [recording.data]);

  if (recording.isPending) return <LoadingState label="Loading the recording…" />;
  if (recording.isError) {
    if (recording.error instanceof ApiError && recording.error.status === 404) {
      return (
        <p className="text-sm text-subtle">No recording was kept for this call (it may still be going on).</p>
      );
    }
    return <ErrorState error={recording.error} onRetry={() => recording.refetch()} />;
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      {url && (
        // biome-ignore lint/a11y/useMediaCaption: the transcript beside the player is the call's text
        <audio
          ref={audioRef}
          controls
          preload="auto"
          src={url}
          aria-label="Call recording"
          className="h-10 min-w-0 flex-1"
          onTimeUpdate={(e) => onTime(e.currentTarget.currentTime * 1000)}
          onSeeked={(e) => onTime(e.currentTarget.currentTime * 1000)}
          onPlay={() => onPlayingChange(true)}
          onPause={() => onPlayingChange(false)}
          onEnded={() => onPlayingChange(false)}
        />
      )}
      {url && (
        <a
          href={url}
          download={`session-${sessionId}.wav`}
          className={buttonVariants({ variant: "outline", size: "sm" })}
        >
          <Download aria-hidden /> Download recording
        </a>
      )}
    </div>
  );
}
