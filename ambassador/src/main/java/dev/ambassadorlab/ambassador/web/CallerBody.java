package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.request.RequestContext;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a caller's request body before any upstream work starts: at most the size cap, and only until the caller's
 * deadline. A caller that sends slowly then holds one server thread for its own deadline at most, and never a
 * bulkhead permit that other callers need.
 */
final class CallerBody {
    /** Interrupts a read that runs past its deadline; Jetty's blocking read ends with an InterruptedIOException. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "caller-body-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private static final byte[] NO_BODY = new byte[0];
    private static final int CHUNK_BYTES = 16 * 1024;

    private CallerBody() {
    }

    /**
     * The body, read whole, its bytes held in the request's share of the ambassador's body memory (a 503 when there
     * is none left): a declared length at once, a chunked body as it comes.
     */
    static byte[] read(Context ctx, long cap, RequestContext caller) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > cap) throw tooLarge(cap);
        // HTTP/1.1 has a body only with a Content-Length or a Transfer-Encoding (most GETs have neither).
        if (declared == 0 || (declared < 0 && ctx.header("Transfer-Encoding") == null)) return NO_BODY;
        var reading = new Reading(Thread.currentThread());
        var deadline = DEADLINES.schedule(reading::interruptUnlessDone, caller.remaining().toNanos(), TimeUnit.NANOSECONDS);
        try (InputStream in = ctx.req().getInputStream()) {
            return declared > 0 ? readDeclared(in, (int) declared, caller) : readChunked(in, cap, caller);
        } catch (InterruptedIOException tooSlow) {
            throw new AmbassadorException(ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive within the "
                    + "deadline (" + caller.elapsed().toMillis() + " ms); send it faster or in one piece");
        } catch (IOException broken) {
            throw new AmbassadorException(ErrorCode.BAD_REQUEST_BODY, "the request body could not be read; send it "
                    + "again, with a Content-Length or well-formed chunks", null, broken.toString());
        } finally {
            deadline.cancel(false);
            reading.finish();
        }
    }

    private static byte[] readDeclared(InputStream in, int length, RequestContext caller) throws IOException {
        caller.holdBodyBytes(length);
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) throw new EOFException("the body ended after " + read + " of " + length + " bytes");
        return body;
    }

    private static byte[] readChunked(InputStream in, long cap, RequestContext caller) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
            if (body.size() + read > cap) throw tooLarge(cap);
            caller.holdBodyBytes(read);
            body.write(chunk, 0, read);
        }
        return body.toByteArray();
    }

    private static AmbassadorException tooLarge(long cap) {
        return new AmbassadorException(ErrorCode.BODY_TOO_LARGE, "the request body is larger than " + cap
                + " bytes (ANSWER_MAX_BYTES), the most the ambassador forwards");
    }

    /** Makes sure the deadline's interrupt cannot land after the read is over, on whatever the thread does next. */
    private static final class Reading {
        private final Thread reader;
        private boolean done;

        Reading(Thread reader) {
            this.reader = reader;
        }

        synchronized void interruptUnlessDone() {
            if (!done) reader.interrupt();
        }

        synchronized void finish() {
            done = true;
            Thread.interrupted(); // clears an interrupt that came in time but was not seen by the read
        }
    }
}
