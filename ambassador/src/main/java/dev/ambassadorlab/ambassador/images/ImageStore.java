package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ImageId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.ToLongFunction;

/**
 * Saves images under IMAGES_DIR as "{id}.{ext}". Each file is written to a temporary name, flushed to disk and then
 * renamed in one atomic step, so a reader (or a crash) never sees half an image.
 */
public final class ImageStore {
    private static final String TEMP_PREFIX = ".incoming-";
    private static final String TEMP_SUFFIX = ".part";
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

    public Path save(ImageId id, ImageFormat format, byte[] bytes) {
        Path target = dir.resolve(id.value() + "." + format.extension()).normalize();
        if (!dir.equals(target.getParent())) {
            // ImageId already forbids this; the check stays so that a future change to ImageId cannot escape the dir.
            throw new IllegalArgumentException("image id " + id + " would be saved outside IMAGES_DIR");
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
            makeReadable(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException failed) {
            deleteQuietly(temp);
            throw AmbassadorException.storage("the image could not be saved in IMAGES_DIR=\"" + dir + "\" ("
                    + failed.getClass().getSimpleName() + ": " + failed.getMessage()
                    + "); check that the directory is writable and the disk has room");
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
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the start-up sweep removes it next time
        }
    }
}
