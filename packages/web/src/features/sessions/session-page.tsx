import type { SessionDetail } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";
import { ChevronLeft, Download, Hand, Send, Undo2 } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { ErrorState, FormError, LoadingState } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Card, CardTitle } from "../../components/ui/card.tsx";
import { Label } from "../../components/ui/label.tsx";
import { Textarea } from "../../components/ui/textarea.tsx";
import { useLiveEvent } from "../../lib/live-events.tsx";
import { formatDateTime } from "../../lib/utils.ts";
import { useSession, useSessionActions } from "./api/queries.ts";
import { RecordingPlayer } from "./components/recording-player.tsx";
import { Transcript } from "./components/transcript.tsx";
import { entryAt, hasRecording } from "./recording-sync.ts";

function download(session: SessionDetail) {
  const blob = new Blob([JSON.stringify(session, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `session-${session.id}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SessionPage({ sessionId }: { sessionId: string }) {
  const session = useSession(sessionId);
  const actions = useSessionActions(sessionId);
  const [text, setText] = useState("");
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const transcriptRef = useRef<HTMLDivElement | null>(null);
  // Where the recording is, once someone has played or moved it (nothing is highlighted before).
  const [position, setPosition] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const entries = session.data?.transcript ?? [];
  const activeSeq = position === null ? null : entryAt(entries, position);

  // Keep what is being said in view while the recording plays.
  useEffect(() => {
    if (!playing || activeSeq === null) return;
    transcriptRef.current
      ?.querySelector(`[aria-current="true"]`)
      ?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [activeSeq, playing]);

  function seek(ms: number) {
    const audio = audioRef.current;
    setPosition(ms);
    if (!audio) return;
    audio.currentTime = ms / 1000;
    // Browsers may refuse to play without a user gesture; the click here is one.
    void audio.play()?.catch(() => undefined);
  }

  // The live stream names this session in `data.sessionId` (turns) or `data.id` (status changes).
  useLiveEvent((event) => {
    const data = event.data as { sessionId?: string; id?: string };
    if (data.sessionId === sessionId || data.id === sessionId) void session.refetch();
  });

  if (session.isPending) return <LoadingState label="Loading session…" />;
  if (session.isError) {
    return (
      <>
        <PageHeader title="Session" />
        <ErrorState error={session.error} onRetry={() => session.refetch()} />
      </>
    );
  }
  const s = session.data;
  const open = s.status !== "ended";
  const inCharge = s.status === "human";
  function say(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) actions.say.mutate(text.trim(), { onSuccess: () => setText("") });
  }
  const error = actions.takeover.error ?? actions.release.error ?? actions.end.error;

  return (
    <>
      <Link
        to="/sessions"
        className="mb-3 inline-flex items-center gap-1 text-sm text-subtle hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden /> All sessions
      </Link>
      <PageHeader
        title={`Session with ${s.activeAgent}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <StatusBadge status={s.status} /> <span className="capitalize">{s.channel}</span> · started{" "}
            {formatDateTime(s.startedAt)} · {s.turnCount} {s.turnCount === 1 ? "turn" : "turns"} ·{" "}
            {s.tokensIn + s.tokensOut} tokens · ${s.costUsd.toFixed(4)}
          </span>
        }
        actions={
          <>
            {open && !inCharge && (
              <Button onClick={() => actions.takeover.mutate()} disabled={actions.takeover.isPending}>
                <Hand aria-hidden /> Take over
              </Button>
            )}
            {inCharge && (
              <Button
                variant="secondary"
                onClick={() => actions.release.mutate()}
                disabled={actions.release.isPending}
              >
                <Undo2 aria-hidden /> Hand back to agent
              </Button>
            )}
            <Button variant="outline" onClick={() => download(s)}>
              <Download aria-hidden /> Export JSON
            </Button>
          </>
        }
      />
      <FormError error={error} />
      <div className="grid gap-6">
        {hasRecording(s.channel) && (
          <Card className="grid gap-3">
            <CardTitle>Recording</CardTitle>
            <RecordingPlayer
              sessionId={s.id}
              audioRef={audioRef}
              onTime={setPosition}
              onPlayingChange={setPlaying}
            />
          </Card>
        )}
        <Card>
          <CardTitle className="mb-4">Transcript</CardTitle>
          {s.transcript.length === 0 ? (
            <p className="text-sm text-subtle">Nothing has been said yet.</p>
          ) : (
            <div ref={transcriptRef}>
              <Transcript
                entries={s.transcript}
                activeSeq={activeSeq}
                onSeek={hasRecording(s.channel) ? seek : undefined}
              />
            </div>
          )}
        </Card>
        {open && (
          <Card>
            <form onSubmit={say} className="grid gap-2">
              <Label htmlFor="operator-message">Message the customer as an operator</Label>
              <Textarea
                id="operator-message"
                rows={2}
                value={text}
                disabled={!inCharge}
                placeholder={inCharge ? "Type your reply…" : "Take over the conversation to reply yourself."}
                onChange={(e) => setText(e.target.value)}
              />
              <FormError error={actions.say.error} />
              <div className="flex flex-wrap gap-2">
                <Button type="submit" disabled={!inCharge || !text.trim() || actions.say.isPending}>
                  <Send aria-hidden /> Send as operator
                </Button>
                <Button variant="ghost" onClick={() => actions.end.mutate()} disabled={actions.end.isPending}>
                  End session
                </Button>
              </div>
            </form>
          </Card>
        )}
      </div>
    </>
  );
}
