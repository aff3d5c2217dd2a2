package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.ErrorCode;
import dev.ambassadorlab.ambassador.security.ImageId;
import dev.ambassadorlab.ambassador.upstream.BodySink;
import okio.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/**
 * Saves images under IMAGES_DIR as "{id}.{ext}". Each file is written to a temporary name, flushed to disk and then
 * renamed in one atomic step, so a reader (or a crash) never sees half an image.
 */
public final class ImageStore {
    private static final String TEMP_PREFIX = ".incoming-";
    private static final String TEMP_SUFFIX = ".part";
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");
    private final Path dir;
    private final ToLongFunction<Path> usableSpace;

    /** Creates the directory if needed and clears temporary files a crash may have left behind. */
    public ImageStore(Path dir) {
        this(dir, ImageStore::usableSpace);
    }

    /** @param usableSpace the bytes a new file may still take in a directory (a test can make a disk full) */
    public ImageStore(Path dir, ToLongFunction<Path> usableSpace) {
        this.dir = dir.toAbsolutePath().normalize();
        this.usableSpace = usableSpace;
        try {
            Files.createDirectories(this.dir);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
                for (Path leftover : leftovers) Files.deleteIfExists(leftover);
            }
        } catch (IOException | SecurityException unusable) {
            throw new IllegalStateException("IMAGES_DIR=\"" + this.dir + "\" cannot be created or cleaned ("
                    + unusable + "); point IMAGES_DIR at a writable directory", unusable);
        }
    }

    /** Saves bytes already in memory: a new file, written and made durable, then moved into place. */
    public Path save(ImageId id, ImageFormat format, byte[] bytes) {
        Incoming incoming = incoming();
        incoming.write(new Buffer().write(bytes));
        incoming.finish();
        return commit(incoming, id, format);
    }

    /** A new temporary file in IMAGES_DIR for a download to stream into; nothing else sees it until {@link #commit}. */
    public Incoming incoming() {
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
            return new Incoming(temp, channel);
        } catch (IOException failed) {
            throw storageError(failed);
        }
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

    /** A download on its way to disk: written as it arrives, flushed to disk when complete, or removed. */
    public final class Incoming implements BodySink {
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream out;

        private Incoming(Path temp, FileChannel channel) {
            this.temp = temp;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(Buffer chunk) {
            try {
                chunk.writeTo(out);
            } catch (IOException failed) {
                discard();
                throw storageError(failed);
            }
        }

        @Override
        public void finish() {
            try (channel) {
                channel.force(true);
            } catch (IOException failed) {
                discard();
                throw storageError(failed);
            }
        }

        @Override
        public void discard() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            deleteQuietly(temp);
        }
    }

    /**
     * For the readiness probe: why an image of up to {@code largestImage} bytes could not be saved now (the directory
     * is gone or read-only, or the disk has less room than that), or null when it could.
     */
    public String whyNotReady(long largestImage) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return "IMAGES_DIR \"" + dir + "\" is not a writable directory";
        }
        long free = usableSpace.applyAsLong(dir);
        if (free < largestImage) {
            return "IMAGES_DIR \"" + dir + "\" has " + free + " bytes free, less than IMAGE_MAX_BYTES (" + largestImage
                    + "): free some space or give the volume more";
        }
        return null;
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException unknown) {
            return 0; // a file store that cannot say how much room it has is not one to count on
        }
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
