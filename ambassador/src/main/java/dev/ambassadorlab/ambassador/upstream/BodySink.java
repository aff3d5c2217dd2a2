package dev.ambassadorlab.ambassador.upstream;

import okio.Buffer;

/**
 * Where a large answer goes instead of memory: written as it arrives, then kept or thrown away as a whole. A sink
 * reports its own failures (a full disk) as unchecked errors, so they are never mistaken for the upstream's and retried.
 */
public interface BodySink {
    /** Takes every byte out of the chunk. */
    void write(Buffer chunk);

    /** All bytes are in: make them durable. */
    void finish();

    /** The answer is not kept: remove what was written. Never fails. */
    void discard();
}
