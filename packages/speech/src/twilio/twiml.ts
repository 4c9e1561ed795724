import { ValidationError } from "@oratio/core";

/**
 * TwiML that connects a call to a bidirectional Media Stream:
 * `<Response><Connect><Stream url="wss://…"><Parameter name=… value=…/></Stream></Connect></Response>`.
 */
export interface ConnectStreamTwimlOptions {
  /** WebSocket URL Twilio connects to; must be wss:// (Twilio refuses plain ws). */
  url: string;
  /** Passed to the stream's `start.customParameters`. */
  parameters?: Record<string, string>;
}

export function buildConnectStreamTwiml(options: ConnectStreamTwimlOptions): string {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ValidationError(`Stream url "${options.url}" is not a URL.`);
  }
  if (url.protocol !== "wss:")
    throw new ValidationError(`Stream url must use wss://; got ${url.protocol}//.`);
  const parameters = Object.entries(options.parameters ?? {})
    .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Response><Connect><Stream url="${escapeXml(url.toString())}">${parameters}</Stream></Connect></Response>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
