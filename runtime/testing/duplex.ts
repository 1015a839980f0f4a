/**
 * Two in-memory streams joined end to end, as a socket pair: what one end
 * writes the other reads, ending one ends the other's reading, and
 * destroying one closes both.  Node 20 has no `duplexPair`.
 */
import { Duplex } from 'node:stream';

export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        const o = other();
        if (!o.destroyed) o.push(chunk);
        done();
      },
      final(done) {
        const o = other();
        if (!o.destroyed) o.push(null);
        done();
      },
      destroy(error, done) {
        const o = other();
        // The other end reads the end of the stream, then closes too.
        if (!o.destroyed) {
          o.push(null);
          o.destroy();
        }
        done(error);
      },
    });
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}
