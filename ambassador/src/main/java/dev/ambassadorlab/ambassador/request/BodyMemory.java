package dev.ambassadorlab.ambassador.request;

/**
 * The memory the ambassador lends to bodies it holds whole: callers' request bodies while they are forwarded, and
 * upstream answers until they are relayed. Each is capped on its own (ANSWER_MAX_BYTES), but a caller that does not
 * read its answer keeps it, and dozens of such callers together once filled the 64 MB heap. Together they may now hold
 * at most BODY_MEMORY_MAX_BYTES; a request that would need more is refused with a 503 at once.
 */
public final class BodyMemory {
    private final long capacity;
    private long lent;

    public BodyMemory(long capacity) {
        this.capacity = capacity;
    }

    /** Lends that many bytes when there are as many left; false otherwise. */
    public synchronized boolean tryLend(long bytes) {
        if (bytes > capacity - lent) return false;
        lent += bytes;
        return true;
    }

    public synchronized void giveBack(long bytes) {
        lent -= bytes;
    }

    /** Bytes lent right now. */
    public synchronized long lent() {
        return lent;
    }

    public long capacity() {
        return capacity;
    }
}
