package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ImageId;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesUnderTheIdWithTheFormatsExtensionReadableByOthers() throws IOException {
        var store = new ImageStore(dir.resolve("images"));

        Path saved = store.save(new ImageId("abc"), ImageFormat.PNG, new byte[]{1, 2, 3});

        assertThat(saved).isEqualTo(dir.resolve("images/abc.png"));
        assertThat(Files.readAllBytes(saved)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-r--r--");
    }

    @Test
    void isReadyOnlyWhileTheDiskHasRoomForTheLargestImage() {
        long largest = 5 * 1024 * 1024;
        var roomy = new ImageStore(dir, any -> largest);
        var full = new ImageStore(dir, any -> largest - 1);

        assertThat(roomy.whyNotReady(largest)).isNull();
        assertThat(full.whyNotReady(largest)).contains("has " + (largest - 1) + " bytes free", "IMAGE_MAX_BYTES (" + largest + ")")
                .doesNotContain(dir.toString());
        assertThat(new ImageStore(dir).whyNotReady(1024)).as("this machine's real disk").isNull();
    }

    @Test
    void isNotReadyWhenTheDirectoryIsGone() throws IOException {
        var store = new ImageStore(dir.resolve("images"));
        Files.delete(dir.resolve("images"));

        assertThat(store.whyNotReady(1024)).contains("is not a writable directory");
    }

    @Test
    void replacesAnOlderCopyInOneStep() throws IOException {
        var store = new ImageStore(dir);
        store.save(new ImageId("abc"), ImageFormat.JPEG, new byte[]{1});

        store.save(new ImageId("abc"), ImageFormat.JPEG, new byte[]{2, 2});

        assertThat(Files.readAllBytes(dir.resolve("abc.jpg"))).containsExactly(2, 2);
        assertThat(names(dir)).containsExactly("abc.jpg");
    }

    @Test
    void aFailedSaveLeavesNoTemporaryFileAndKeepsTheDetailForTheLog() throws IOException {
        var store = new ImageStore(dir);
        Files.createDirectories(dir.resolve("abc.jpg/occupied")); // a directory where the file should go

        assertThatThrownBy(() -> store.save(new ImageId("abc"), ImageFormat.JPEG, new byte[]{1}))
                .isInstanceOf(AmbassadorException.class)
                .hasMessageContaining("could not be saved in IMAGES_DIR")
                .hasMessageNotContaining(dir.toString())
                .satisfies(failure -> assertThat(((AmbassadorException) failure).detail())
                        .as("the detail for the log").contains(dir.toString(), "abc.jpg"));
        assertThat(names(dir)).containsExactly("abc.jpg");
        assertThat(Files.isDirectory(dir.resolve("abc.jpg"))).isTrue();
    }

    @Test
    void startingUpSweepsAwayHalfWrittenFilesFromACrash() throws IOException {
        Files.write(dir.resolve(".incoming-123.part"), new byte[]{9});
        Files.write(dir.resolve("kept.jpg"), new byte[]{1});

        new ImageStore(dir);

        assertThat(names(dir)).containsExactly("kept.jpg");
    }

    @Test
    void whatElseIsInTheVolumeUnderATemporaryNameCannotStopTheStart() throws IOException {
        Path squatter = Files.createDirectories(dir.resolve(".incoming-0.part"));
        Files.write(squatter.resolve("inside"), new byte[]{1});
        Path target = Files.write(dir.resolve("elsewhere.jpg"), new byte[]{7});
        Files.createSymbolicLink(dir.resolve(".incoming-1.part"), target);
        Files.write(dir.resolve(".incoming-2.part"), new byte[]{9});

        var store = new ImageStore(dir);

        assertThat(names(dir)).as("a leftover file and a link are swept; a directory under such a name is left alone")
                .containsExactly(".incoming-0.part", "elsewhere.jpg");
        assertThat(Files.readAllBytes(target)).as("the file a leftover link pointed at").containsExactly(7);
        assertThat(store.whyNotReady(1)).isNull();
    }

    @Test
    void downloadsInFlightReserveTheirRoomSoTogetherTheyCannotFillTheDisk() {
        var store = new ImageStore(dir, any -> 3_000);

        ImageStore.Incoming first = store.incoming(2_000);

        assertThatThrownBy(() -> store.incoming(2_000)).as("a second download of 2,000 bytes beside the first")
                .isInstanceOfSatisfying(AmbassadorException.class, full -> {
                    assertThat(full.status()).isEqualTo(503);
                    assertThat(full.error()).isEqualTo("storage_full");
                    assertThat(full.retryAfter()).isNotNull();
                    assertThat(full.isUpstreamDown()).as("a 503 the stale fallback covers").isTrue();
                });
        assertThat(store.whyNotReady(2_000)).as("readiness while 2,000 of 3,000 bytes are promised")
                .contains("3000 bytes free, 2000 of them promised to downloads in flight");
        assertThat(store.incoming(1_000)).as("what is left").isNotNull();

        first.write(new Buffer().write(new byte[1_500]));
        assertThat(store.reserved()).as("written bytes leave the reservation").isEqualTo(500 + 1_000);
        first.discard();
        assertThat(store.reserved()).as("a discarded download gives back the rest").isEqualTo(1_000);
        first.discard();
        assertThat(store.reserved()).as("a second discard gives back nothing more").isEqualTo(1_000);
    }

    @Test
    void aFinishedDownloadGivesBackItsReservation() {
        var store = new ImageStore(dir, any -> 3_000);
        ImageStore.Incoming incoming = store.incoming(2_000);
        incoming.write(new Buffer().write(new byte[100]));

        incoming.finish();
        store.commit(incoming, new ImageId("done"), ImageFormat.GIF);

        assertThat(store.reserved()).isZero();
        assertThat(store.whyNotReady(3_000)).isNull();
    }

    @Test
    void aDirectoryThatCannotBeCreatedStopsTheStartWithTheVariableNamed() throws IOException {
        Path file = Files.write(dir.resolve("not-a-dir"), new byte[]{1});

        assertThatThrownBy(() -> new ImageStore(file.resolve("images")))
                .hasMessageContaining("IMAGES_DIR=")
                .hasMessageContaining("point IMAGES_DIR at a writable directory");
    }

    private static Stream<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList().stream();
        }
    }
}
