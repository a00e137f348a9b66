/** A note's bytes as a job's own buffer, transferred to a worker (`NoteJobRequest.bytes`): the file's, unless it shares a pooled one. */
export function jobBytes(bytes: Buffer): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
}
