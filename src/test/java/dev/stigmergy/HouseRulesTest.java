package dev.stigmergy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The floor plan (STYLE.md §1) as rules over the compiled service: packages use each other without cycles, and
 * only the {@code event} capability writes event rows.
 */
class HouseRulesTest {

    private static JavaClasses service;

    @BeforeAll
    static void importService() {
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.stigmergy");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.stigmergy.(*)..").should().beFreeOfCycles().check(service);
    }

    @Test
    void onlyTheEventPackageAppendsEvents() throws IOException {
        Path sources = Path.of("src/main/java/dev/stigmergy");
        Pattern append = Pattern.compile("insert\\s+into\\s+event\\s*\\(", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(sources.resolve("event")))
                    .filter(f -> append.matcher(read(f)).find())
                    .map(Path::toString).sorted().toList();
            assertEquals(List.of(), offenders, "insert into event outside dev.stigmergy.event: use event.EventRows");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
