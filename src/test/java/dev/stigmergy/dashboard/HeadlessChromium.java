package dev.stigmergy.dashboard;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's Chromium driven through Debian's chromedriver. Both paths are given explicitly, so Selenium Manager
 * never looks for (or downloads) a browser or a driver. Missing packages fail the test run with what to install.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A fresh headless browser with its own profile directory, sized {@code width} × {@code height} CSS pixels. */
    static ChromeDriver start(int width, int height) throws IOException {
        for (Path executable : new Path[]{CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(executable)) {
                throw new AssertionError(executable + " is missing: the dashboard's browser test needs Debian's "
                        + "chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        Path profile = Files.createTempDirectory("stigmergy-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the background-networking flags keep Chromium from calling home: on a closed network those
        // connections are refused and slow it down
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
