import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SseParser, type ServerSentEvent } from './sse';

test('events split anywhere across chunks, CRLF and LF, comments, multi-line data', () => {
  const got: ServerSentEvent[] = [];
  const p = new SseParser((e) => got.push(e));
  const stream = ': hello\r\nevent: status_update_event\r\ndata: {"a":\r\n\r\nevent:x\ndata:1\ndata: 2\n\ndata: plain\n\n';
  for (let i = 0; i < stream.length; i += 3) p.push(stream.slice(i, i + 3));
  assert.equal(got, [
    { event: 'status_update_event', data: '{"a":' },
    { event: 'x', data: '1\n2' },
    { event: 'message', data: 'plain' },
  ]);
});

test('a CR at the end of one chunk and LF at the start of the next is one line end', () => {
  const got: ServerSentEvent[] = [];
  const p = new SseParser((e) => got.push(e));
  p.push('data: a\r');
  p.push('\n\r');
  p.push('\n');
  assert.equal(got, [{ event: 'message', data: 'a' }]);
});

test.run();
