// A text/event-stream parser (WHATWG HTML "Server-sent events", the format of Marathon's
// /v2/events): lines end in LF, CR or CRLF; `event:` names the event, `data:` lines are joined
// with LF, a blank line dispatches, a line starting with `:` is a comment.

export interface ServerSentEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private lastWasCr = false;

  constructor(private readonly onEvent: (e: ServerSentEvent) => void) {}

  push(chunk: string): void {
    let text = chunk;
    // A CRLF split across two chunks: the LF was already counted with the CR.
    if (this.lastWasCr && text.startsWith('\n')) text = text.slice(1);
    this.lastWasCr = text.endsWith('\r');
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}
