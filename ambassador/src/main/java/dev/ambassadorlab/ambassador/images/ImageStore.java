package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.security.ImageId;
import dev.ambassadorlab.ambassador.upstream.BodySink;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/**
 * Saves images under IMAGES_DIR as "{id}.{ext}". Each file is written to a temporary name, flushed to disk and then
 * renamed in one atomic step, so a reader (or a crash) never sees half an image.
 *
 * <p>Each download first reserves the room it may take (its announced length, or IMAGE_MAX_BYTES), so downloads in
 * flight together can never fill the disk: one that finds no room is refused at once with a 503 (the stale fallback
 * covers it), and readiness counts the room promised to them.
 */
public final class ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
    private static final String TEMP_PREFIX = ".incoming-";
    private static final String TEMP_SUFFIX = ".part";
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");
    private final Path dir;
    private final ToLongFunction<Path> usableSpace;
    /** Bytes promised to downloads in flight and not yet written. */
    private long reserved;

    /**
     * Creates the directory if needed and clears temporary files a crash may have left behind. Only the directory
     * itself can stop the start; whatever else is in the volume is at most skipped.
     */
    public ImageStore(Path dir) {
        this(dir, ImageStore::usableSpace);
    }

    /** @param usableSpace the bytes a new file may still take in a directory (a test can make a disk full) */
    public ImageStore(Path dir, ToLongFunction<Path> usableSpace) {
        this.dir = dir.toAbsolutePath().normalize();
        this.usableSpace = usableSpace;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException | SecurityException unusable) {
            throw new IllegalStateException("IMAGES_DIR=\"" + this.dir + "\" cannot be created (" + unusable
                    + "); point IMAGES_DIR at a writable directory", unusable);
        }
        sweepLeftovers();
    }

    /**
     * Deletes the temporary files of downloads a crash cut short. Only files (and links, not what they point to) are
     * deleted: anything else under such a name was not left by the ambassador, and whoever can write to the images
     * volume must not be able to hold the sidecar in a crash loop with it. A failure is logged and skipped.
     */
    private void sweepLeftovers() {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                try {
                    if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS)
                            || Files.isSymbolicLink(leftover)) {
                        Files.deleteIfExists(leftover);
                    } else {
                        LOG.warn("Left in IMAGES_DIR: {} is named like a temporary download but is not a file", leftover);
                    }
                } catch (IOException | SecurityException undeletable) {
                    LOG.warn("Could not delete the leftover {} in IMAGES_DIR: {}", leftover, undeletable.toString());
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException unreadable) {
            LOG.warn("Could not look for leftover downloads in IMAGES_DIR {}: {}", dir, unreadable.toString());
        }
    }

    /** Saves bytes already in memory: a new file, written and made durable, then moved into place. */
    public Path save(ImageId id, ImageFormat format, byte[] bytes) {
        Incoming incoming = incoming(bytes.length);
        incoming.write(new Buffer().write(bytes));
        incoming.finish();
        return commit(incoming, id, format);
    }

    /**
     * A new temporary file in IMAGES_DIR for a download of up to {@code bytes} to stream into; nothing else sees it
     * until {@link #commit}. The room is reserved first: without it, a 503 {@code storage_full}.
     */
    public Incoming incoming(long bytes) {
        reserve(bytes);
        // A fresh name per file: Files.createTempFile would draw it from a SecureRandom shared by every thread.
        Path temp = dir.resolve(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                makeReadable(temp);
            } catch (IOException | RuntimeException failed) {
                channel.close();
                deleteQuietly(temp);
                throw failed;
            }
            return new Incoming(temp, channel, bytes);
        } catch (IOException failed) {
            release(bytes);
            throw storageError(failed);
        }
    }

    private synchronized void reserve(long bytes) {
        long free = usableSpace.applyAsLong(dir);
        if (free - reserved < bytes) {
            throw new AmbassadorException(ErrorCode.STORAGE_FULL, "IMAGES_DIR has no room for this image beside the "
                    + "downloads in flight; try again shortly", Duration.ofSeconds(1), "IMAGES_DIR=\"" + dir + "\": "
                    + free + " bytes free, " + reserved + " promised to downloads in flight, " + bytes + " needed");
        }
        reserved += bytes;
    }

    private synchronized void release(long bytes) {
        reserved -= bytes;
    }

    /** Bytes promised to downloads in flight and not yet on the disk. */
    public synchronized long reserved() {
        return reserved;
    }

    /** Moves a finished download into place as "{id}.{ext}", replacing an older copy in one step. */
    public Path commit(Incoming incoming, ImageId id, ImageFormat format) {
        Path target = dir.resolve(id.value() + "." + format.extension()).normalize();
        if (!dir.equals(target.getParent())) {
            // ImageId already forbids this; the check stays so that a future change to ImageId cannot escape the dir.
            incoming.discard();
            throw new IllegalArgumentException("image id " + id + " would be saved outside IMAGES_DIR");
        }
        try {
            Files.move(incoming.temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException failed) {
            incoming.discard();
            throw storageError(failed);
        }
    }

    /** The caller hears that the save failed; the directory and the system's words are for the log only. */
    private AmbassadorException storageError(IOException failed) {
        return new AmbassadorException(ErrorCode.STORAGE_ERROR, "the image could not be saved in IMAGES_DIR; the "
                + "ambassador's log says why", null, "IMAGES_DIR=\"" + dir + "\": " + failed);
    }

    /**
     * A download on its way to disk: written as it arrives, flushed to disk when complete, or removed. Its reservation
     * shrinks as bytes reach the disk (they count in the disk's own free space from then on) and ends with it.
     */
    public final class Incoming implements BodySink {
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream out;
        /** What is left of the reservation; only the download's own thread changes it. */
        private long stillReserved;

        private Incoming(Path temp, FileChannel channel, long reservedBytes) {
            this.temp = temp;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.stillReserved = reservedBytes;
        }

        @Override
        public void write(Buffer chunk) {
            long size = chunk.size();
            try {
                chunk.writeTo(out);
            } catch (IOException failed) {
                discard();
                throw storageError(failed);
            }
            releaseUpTo(size);
        }

        @Override
        public void finish() {
            try (channel) {
                channel.force(true);
            } catch (IOException failed) {
                discard();
                throw storageError(failed);
            }
            releaseUpTo(stillReserved);
        }

        @Override
        public void discard() {
            releaseUpTo(stillReserved);
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            deleteQuietly(temp);
        }

        private void releaseUpTo(long bytes) {
            long released = Math.min(bytes, stillReserved);
            stillReserved -= released;
            release(released);
        }
    }

    /**
     * For the readiness probe: why an image of up to {@code largestImage} bytes could not be saved now (the directory
     * is gone or read-only, or the disk has less room than that beside what downloads in flight may still take), or
     * null when it could.
     */
    public String whyNotReady(long largestImage) {
        // The answer goes to whoever reaches the admin port: it names the variable, not the path.
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) return "IMAGES_DIR is not a writable directory";
        long free = usableSpace.applyAsLong(dir);
        long promised = reserved();
        if (free - promised < largestImage) {
            return "IMAGES_DIR has " + free + " bytes free, " + promised + " of them promised to downloads in flight: "
                    + "less than IMAGE_MAX_BYTES (" + largestImage + ") is left for another image; free some space or "
                    + "give the volume more";
        }
        return null;
    }

    /**
     * The room a new file may take, asked of the system directly (statvfs): every download asks before it starts, and
     * Files.getFileStore(dir) would first look the directory's mount up in /proc/self/mounts, which cost more than the
     * rest of the download's work. 0 when the system cannot say: a directory that cannot say how much room it has is
     * not one to count on.
     */
    private static long usableSpace(Path dir) {
        return dir.toFile().getUsableSpace();
    }

    public Path dir() {
        return dir;
    }

    /** Temporary files start private (0600); a saved image is meant to be read by other processes, like any download. */
    private static void makeReadable(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, READABLE_BY_ALL);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the start-up sweep removes it next time
        }
    }
}
