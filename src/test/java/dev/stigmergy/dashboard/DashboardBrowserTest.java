package dev.stigmergy.dashboard;

import dev.stigmergy.git.TestRepo;
import dev.stigmergy.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.stigmergy.git.TestRepo.lines;
import static dev.stigmergy.git.TestRepo.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reviewer dashboard in a real headless Chromium (Debian's chromium and chromium-driver): a reviewer signs
 * in, sees what agents left on the board, and sees changes made through the API arrive without a reload.
 * Screenshots go to {@code target/dashboard-screenshots/}; with {@code -Ddashboard.screenshots.refresh=true}
 * they also replace the ones under {@code docs/} that the README shows.
 */
@QuarkusTest
class DashboardBrowserTest {

    /** The issue's bound: a change made through the API shows within 2 s, without a reload. */
    private static final Duration LIVE = Duration.ofSeconds(2);
    private static final Duration LOAD = Duration.ofSeconds(20);

    private static ChromeDriver browser;
    private static TestRepo repo;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start(1280, 900);
        String login = lines(40);
        repo = TestRepo.create();
        repo.write("README.md", "# app\n").write("build.gradle", lines(5))
                .write("src/auth/Login.java", login).write("src/auth/Session.java", lines(30))
                .write("src/web/Routes.java", lines(20)).write("src/web/Templates.java", lines(20))
                .write("docs/guide.md", lines(10)).commit("base");
        repo.branch("feature/login").write("src/auth/Login.java", replaceLine(login, 12, "redirect()")).commit("login");
        repo.checkout("main").branch("feature/session")
                .write("src/auth/Login.java", replaceLine(login, 12, "session()"))
                .write("src/auth/Session.java", replaceLine(lines(30), 3, "expire()")).commit("session");
        repo.checkout("main").branch("feature/routes")
                .write("src/web/Routes.java", replaceLine(lines(20), 5, "split()")).commit("routes");
        repo.checkout("main");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (repo != null) {
            repo.close();
        }
    }

    private record Agent(String id, String token) {
        RequestSpecification call() {
            return Api.as(token);
        }
    }

    private static Agent agent(String name, String displayName, String... roles) {
        String id = Api.fresh(name);
        String token = Api.asAdmin().body(Map.of("id", id, "displayName", displayName, "roles", List.of(roles)))
                .post("/agents").then().statusCode(201).extract().path("token");
        return new Agent(id, token);
    }

    private static String job(String environment, String name, String title) {
        String key = Api.fresh(name);
        Api.asAdmin().body(Map.of("environment", environment, "title", title)).put("/entities/job/" + key)
                .then().statusCode(201);
        return "job/" + key;
    }

    private static void deposit(Agent agent, String entity, String type, double intensity) {
        agent.call().body(Map.of("type", type, "intensity", intensity)).post("/entities/" + entity + "/pheromones")
                .then().statusCode(201);
    }

    private static void declare(Agent agent, String environment, String entity, String path, int level,
                                int priority, String branch) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("entity", entity, "description", "work on " + path,
                "priority", priority, "leaseSeconds", 3600, "files", List.of(Map.of("path", path, "level", level))));
        if (branch != null) {
            body.put("branch", branch);
        }
        agent.call().body(body).post("/environments/" + environment + "/intents").then().statusCode(201);
    }

    /** A small team at work: pheromones, a lock with a pending unlock request, overlapping intents on branches. */
    private record Seeded(String environment, String team, Agent reviewer, Agent ada, Agent grace, Agent linus,
                          String login, String session, String routes) {
    }

    private static Seeded seed() {
        String environment = Api.fresh("app");
        Api.asAdmin().body(Map.of("name", environment, "repository", repo.dir.toString())).post("/environments")
                .then().statusCode(201);
        Agent reviewer = agent("rita", "Rita (reviewer)", "reviewer");
        // the team's ids share a word, so the Agents view can be filtered to them among every test's agents
        String team = Api.fresh("team");
        Agent ada = agent(team + "-ada", "Ada", "agent", "worker");
        Agent grace = agent(team + "-grace", "Grace", "agent", "worker");
        Agent linus = agent(team + "-linus", "Linus", "agent", "worker");
        String login = job(environment, "LOGIN", "Fix the login redirect");
        String session = job(environment, "SESSION", "Harden session expiry");
        String routes = job(environment, "ROUTES", "Split the route table");

        deposit(ada, login, "importance", 6);
        deposit(ada, login, "workingonit", 3);
        ada.call().body(Map.of("leaseSeconds", 900, "reason", "fixing the redirect")).post("/entities/" + login + "/lock")
                .then().statusCode(201);
        declare(ada, environment, login, "src/auth/Login.java", 3, 6, "feature/login");
        deposit(grace, session, "takeup_interest", 2);
        deposit(grace, session, "importance", 3);
        declare(grace, environment, session, "src/auth/", 2, 4, "feature/session");
        grace.call().body(Map.of("reason", "session expiry touches the login flow")).post("/entities/" + login + "/lock/unlock-requests")
                .then().statusCode(201);
        deposit(linus, routes, "importance", 2);
        ada.call().post("/agents/me/heartbeat").then().statusCode(200);
        return new Seeded(environment, team, reviewer, ada, grace, linus, login, session, routes);
    }

    private WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(50));
        // the views re-render what changed: an element found a moment ago may have been replaced
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The element's text, found anew if a re-render replaces it between finding and reading. */
    private String textOf(By element) {
        return waiting(LOAD).until(d -> d.findElement(element).getText());
    }

    private String attributeOf(By element, String attribute) {
        return waiting(LOAD).until(d -> d.findElement(element).getAttribute(attribute));
    }

    private static By card(String entity) {
        return By.cssSelector("[data-entity='" + entity + "']");
    }

    private static By inCard(String entity, String css) {
        return By.cssSelector("[data-entity='" + entity + "'] " + css);
    }

    private void signIn(Agent reviewer) {
        browser.get(root + "dashboard");
        WebElement token = waiting(LOAD).until(ExpectedConditions.elementToBeClickable(By.id("token")));
        token.sendKeys(reviewer.token());
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waiting(LOAD).until(ExpectedConditions.urlContains("/dashboard/board"));
        waiting(LOAD).until(ExpectedConditions.textToBe(By.id("live"), "live"));
    }

    private void open(String view, String environment) {
        open(view, environment, "");
    }

    /** Opens the view with more of its address's parameters ({@code &q=…}). */
    private void open(String view, String environment, String more) {
        browser.get(root + "dashboard/" + view + "?environment=" + environment + more);
        waiting(LOAD).until(ExpectedConditions.textToBe(By.id("live"), "live"));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @Test
    void boardShowsSeededSignalsAndFollowsTheApiLiveWithoutReload() throws Exception {
        Seeded s = seed();
        signIn(s.reviewer());
        open("board", s.environment());

        // what was seeded: pheromones as bars, the lock with its holder and lease, the unlock request, intents
        waiting(LOAD).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.login(), ".pher[data-type='importance']")));
        assertEquals(s.ada().id(), textOf(inCard(s.login(), ".lock .holder")));
        String countdown = textOf(inCard(s.login(), ".lock .countdown"));
        assertTrue(countdown.matches("1[45] min \\d\\d s"), "lease countdown: " + countdown);
        assertEquals("6.00", textOf(inCard(s.login(), ".pher[data-type='importance'] .value")));
        assertTrue(textOf(inCard(s.login(), ".unlock-requests")).contains(s.grace().id()));
        assertEquals("3", attributeOf(inCard(s.login(), ".intent"), "data-level"));
        assertEquals("2", attributeOf(inCard(s.session(), ".intent"), "data-level"));
        assertTrue(browser.findElements(inCard(s.routes(), ".badge.files-blocked")).isEmpty());

        // workingonit decays in the page, from its policy, with no call to the service
        double first = Double.parseDouble(textOf(inCard(s.login(), ".pher[data-type='workingonit'] .value")));
        waiting(Duration.ofSeconds(10)).until(d -> Double.parseDouble(
                d.findElement(inCard(s.login(), ".pher[data-type='workingonit'] .value")).getText()) < first);

        // changes through the API reach the open page within 2 s, without a reload
        js("window.__sameDocument = true;");
        deposit(s.linus(), s.routes(), "workingonit", 4);
        declare(s.linus(), s.environment(), s.routes(), "src/web/Routes.java", 4, 5, "feature/routes");
        long changed = System.nanoTime();
        waiting(LIVE).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".pher[data-type='workingonit']")));
        WebElement badge = waiting(LIVE).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".badge.files-blocked")));
        Duration seen = Duration.ofNanos(System.nanoTime() - changed);
        assertTrue(seen.compareTo(LIVE) <= 0, "seen after " + seen);
        assertTrue(badge.getText().contains("src/web/Routes.java"), badge.getText());
        assertEquals(s.linus().id(), badge.findElement(By.cssSelector(".holder")).getText());
        assertEquals("4", browser.findElement(inCard(s.routes(), ".intent")).getAttribute("data-level"));
        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true;"), "the page was reloaded");
        assertTrue(browser.findElement(By.id("summary")).getText().matches("3 entities · pheromones: 7 active · 0 claimed · 0 expired · 1 locked"),
                browser.findElement(By.id("summary")).getText());

        assertEveryControlHasAName();
        screenshot("dashboard-board.png");

        // the Files view: the tree coloured by the strongest intent, overlapping intents, the branches' edit overlaps
        open("files", s.environment());
        WebElement login = waiting(LOAD).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#tree .file[data-path='src/auth/Login.java']")));
        assertEquals("3", login.getAttribute("data-level"));
        assertTrue(login.getAttribute("class").contains("overlap"), login.getAttribute("class"));
        assertTrue(login.getAttribute("class").contains("edit-conflict"), login.getAttribute("class"));
        assertTrue(login.getText().contains(s.ada().id()) && login.getText().contains(s.grace().id()), login.getText());
        WebElement routes = browser.findElement(By.cssSelector("#tree .file[data-path='src/web/Routes.java']"));
        assertEquals("4", routes.getAttribute("data-level"));
        assertEquals("0", browser.findElement(By.cssSelector("#tree .file[data-path='README.md']")).getAttribute("data-level"));
        assertTrue(browser.findElement(By.id("overlaps")).getText().contains("conflicts in src/auth/Login.java"),
                browser.findElement(By.id("overlaps")).getText());
        assertEveryControlHasAName();
        screenshot("dashboard-files.png");

        // a narrow screen: no sideways scrolling, cards one per row, even with an environment of the longest name
        String longest = UUID.randomUUID().toString().replace("-", "");
        Api.asAdmin().body(Map.of("name", longest + longest)).post("/environments").then().statusCode(201);
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            open("board", s.environment());
            waiting(LOAD).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".badge.files-blocked")));
            assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth;"),
                    "the board scrolls sideways at 390 px");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    void agentsAndFeedFollowTheMediumLive() {
        Seeded s = seed();
        signIn(s.reviewer());

        // more pages than the browser's 6 connections per host: a page left behind must not keep its stream open
        for (String view : List.of("board", "files", "feed", "board", "files", "feed")) {
            open(view, s.environment());
        }
        // a heartbeat within the liveness interval (60 s) makes an agent active: send it now, however long the
        // pages above took to load
        s.ada().call().post("/agents/me/heartbeat").then().statusCode(200);
        open("agents", s.environment(), "&q=" + s.team());
        // the view reads again when its stream opens, replacing its rows: each check finds its row anew
        By adaRow = By.cssSelector("#agents tr[data-agent='" + s.ada().id() + "']");
        waiting(LOAD).until(d -> d.findElement(adaRow).getAttribute("class").contains("active")
                && d.findElement(adaRow).findElement(By.cssSelector(".heartbeat")).getText().endsWith("ago"));
        String adaText = textOf(adaRow);
        assertTrue(adaText.contains("worker") && adaText.contains(s.login()), adaText);
        By linusHeartbeat = By.cssSelector("#agents tr[data-agent='" + s.linus().id() + "'] .heartbeat");
        assertEquals("never", textOf(linusHeartbeat));
        // liveness as the service derives it: a recent heartbeat, holds still leased without one, neither
        By liveness = By.cssSelector("#agents tr[data-agent='" + s.ada().id() + "'] .liveness");
        assertTrue(textOf(liveness).startsWith("active"), textOf(liveness));
        assertTrue(textOf(By.cssSelector("#agents tr[data-agent='" + s.grace().id() + "'] .liveness")).startsWith("idle · 1 lease"));
        By linusLiveness = By.cssSelector("#agents tr[data-agent='" + s.linus().id() + "'] .liveness");
        assertEquals("gone", textOf(linusLiveness));
        assertTrue(textOf(By.id("agents-summary")).matches(".*\\d+ active · \\d+ idle .*· \\d+ gone"), textOf(By.id("agents-summary")));
        waiting(LOAD).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        s.linus().call().post("/agents/me/heartbeat").then().statusCode(200);
        waiting(LIVE).until(d -> d.findElement(linusHeartbeat).getText().endsWith("ago"));
        waiting(LIVE).until(d -> d.findElement(linusLiveness).getText().equals("active"));
        assertEveryControlHasAName();

        open("feed", s.environment());
        WebElement types = browser.findElement(By.name("types"));
        types.sendKeys("pheromone.*");
        browser.findElement(By.cssSelector("#feed-filters button[type=submit]")).click();
        waiting(LOAD).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        s.grace().call().body(Map.of("leaseSeconds", 60)).post("/entities/" + s.session() + "/lock").then().statusCode(201);
        deposit(s.grace(), s.session(), "workingonit", 2);
        WebElement event = waiting(LIVE).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#feed li.event")));
        assertEquals("pheromone.deposited", event.findElement(By.cssSelector(".etype")).getText());
        assertTrue(event.getText().contains(s.session()), event.getText());
        // the lock.acquired before it does not match the selector
        assertEquals(1, browser.findElements(By.cssSelector("#feed li.event")).size());
        assertEveryControlHasAName();
    }

    /**
     * Wraps the page's fetch so that the first event stream breaks right after its first event, as a dropped
     * connection would, and the second one waits for {@code window.__releaseStream()}: changes made meanwhile
     * can only reach the page by the resume from Last-Event-ID. Records each stream request's Last-Event-ID.
     */
    private static final String DROP_FIRST_STREAM = """
            (() => {
              const realFetch = window.fetch.bind(window);
              window.__streamRequests = [];
              let release;
              const released = new Promise((resolve) => { release = resolve; });
              window.__releaseStream = () => release();
              window.fetch = async (input, init) => {
                if (!String(input).includes('/events/stream')) return realFetch(input, init);
                const n = window.__streamRequests.push((init && init.headers && init.headers['Last-Event-ID']) || null);
                if (n === 2) await released;
                const response = await realFetch(input, init);
                if (n !== 1) return response;
                const reader = response.body.getReader();
                const decoder = new TextDecoder();
                let seen = '';
                let broken = false;
                const body = new ReadableStream({
                  async pull(controller) {
                    // error only on the pull after the event, so the page reads the event first
                    if (broken) { reader.cancel(); controller.error(new TypeError('connection dropped')); return; }
                    const { value, done } = await reader.read();
                    if (done) { controller.close(); return; }
                    controller.enqueue(value);
                    seen += decoder.decode(value, { stream: true });
                    broken = /(^|\\n)id:[^\\n]*\\n([^\\n]+\\n)*\\n/.test(seen);
                  }
                });
                return new Response(body, { status: response.status, headers: response.headers });
              };
            })();
            """;

    @Test
    void theStreamReconnectsByItselfAndResumesFromTheLastEventId() {
        Seeded s = seed();
        Map<String, Object> script = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", DROP_FIRST_STREAM));
        try {
            signIn(s.reviewer());
            open("board", s.environment());
            assertEquals(Long.valueOf(1), js("return window.__streamRequests && window.__streamRequests.length;"),
                    "the stream wrapper is not in " + browser.getCurrentUrl());
            waiting(LOAD).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".pher[data-type='importance']")));
            deposit(s.linus(), s.routes(), "workingonit", 4);
            waiting(LIVE).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".pher[data-type='workingonit']")));
            waiting(LOAD).until(d -> Long.valueOf(2).equals(js("return window.__streamRequests.length;")));

            assertEquals("reconnecting", browser.findElement(By.id("live")).getText());

            deposit(s.linus(), s.routes(), "takeup_interest", 2);
            assertTrue(browser.findElements(inCard(s.routes(), ".pher[data-type='takeup_interest']")).isEmpty(),
                    "the change arrived although the stream was down");
            js("window.__releaseStream();");
            waiting(LIVE).until(ExpectedConditions.visibilityOfElementLocated(inCard(s.routes(), ".pher[data-type='takeup_interest']")));
            assertEquals("live", browser.findElement(By.id("live")).getText());

            // the reconnect named the last event the page had received: the workingonit deposit
            long received = Api.asAdmin().get("/events?type=pheromone.deposited&entity=" + s.routes())
                    .then().statusCode(200).extract().jsonPath()
                    .getLong("events.find { it.data.type == 'workingonit' }.id");
            assertEquals(java.util.Arrays.asList(null, Long.toString(received)), js("return window.__streamRequests;"));
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script.get("identifier")));
        }
    }

    /** Issue 29's bound on every dashboard read: no answer over 1 MB, however large the medium grows. */
    private static final long MAX_ANSWER_BYTES = 1_000_000;

    /**
     * With more agents and entities than one page holds, the Agents and Board views page through them with the
     * API's cursors, filter them, and no read the page makes answers more than 1 MB: the Board's cards carry
     * 4 kB payloads, so a page of 60 of them would pass 1 MB and is cut by size instead.
     */
    @Test
    void agentsAndBoardPageThroughMoreThanAPageAndNoReadPassesOneMegabyte() {
        String environment = Api.fresh("crowd");
        Api.asAdmin().body(Map.of("name", environment)).post("/environments").then().statusCode(201);
        Agent reviewer = agent("rita", "Rita (reviewer)", "reviewer");
        String crowd = Api.fresh("crowd");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add(agent(crowd + "-" + String.format("%03d", i), "Crowd " + i, "agent").id());
        }
        ids.sort(null);
        List<Agent> depositors = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> agent(Api.fresh("dep"), "Depositor " + i, "agent")).toList();
        Map<String, Object> heavy = Map.of("type", "importance", "intensity", 1,
                "payload", Map.of("note", "x".repeat(4000)));
        List<String> entities = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String entity = job(environment, "E" + String.format("%02d", i), "Entity " + i);
            entities.add(entity);
            for (Agent depositor : depositors) {
                depositor.call().body(heavy).post("/entities/" + entity + "/pheromones").then().statusCode(201);
            }
        }
        entities.sort(null);

        // the read itself: a page of 100 asked for is cut below 1 MB, and the pages cover every entity once
        List<String> walked = new java.util.ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var answer = reviewer.call().get("/dashboard/api/environments/" + environment + "/board?limit=100"
                    + (after == null ? "" : "&after=" + after)).then().statusCode(200).extract();
            assertTrue(answer.asByteArray().length <= MAX_ANSWER_BYTES, answer.asByteArray().length + " bytes");
            List<String> addresses = answer.jsonPath().getList("cards.entity.address");
            walked.addAll(addresses);
            after = answer.jsonPath().getString("nextAfter");
            pages++;
        } while (after != null);
        assertEquals(entities, walked);
        assertTrue(pages >= 2, "one page held " + walked.size() + " heavy cards");

        signIn(reviewer);
        // Agents: 120 matching, 50 a page
        open("agents", environment, "&q=" + crowd);
        String rows = "#agents tbody tr";
        waiting(LOAD).until(d -> d.findElements(By.cssSelector(rows)).size() == 50);
        assertEquals(ids.subList(0, 50), rowIds(rows, "agent"));
        assertTrue(textOf(By.cssSelector("#agents-pager .page-info")).contains("agents 1–50 of 120"));
        assertEquals("true", attributeOf(By.cssSelector("#agents-pager [data-page=previous]"), "disabled"));
        browser.findElement(By.cssSelector("#agents-pager [data-page=next]")).click();
        waiting(LOAD).until(d -> rowIds(rows, "agent").equals(ids.subList(50, 100)));
        browser.findElement(By.cssSelector("#agents-pager [data-page=next]")).click();
        waiting(LOAD).until(d -> rowIds(rows, "agent").equals(ids.subList(100, 120)));
        assertTrue(textOf(By.cssSelector("#agents-pager .page-info")).contains("agents 101–120 of 120"));
        assertEquals("true", attributeOf(By.cssSelector("#agents-pager [data-page=next]"), "disabled"));
        browser.findElement(By.cssSelector("#agents-pager [data-page=previous]")).click();
        waiting(LOAD).until(d -> rowIds(rows, "agent").equals(ids.subList(50, 100)));
        // the filter narrows the list to one agent, from the first page
        WebElement filter = browser.findElement(By.cssSelector("#agents-filters [name=q]"));
        filter.clear();
        filter.sendKeys(ids.get(7));
        browser.findElement(By.cssSelector("#agents-filters button[type=submit]")).click();
        waiting(LOAD).until(d -> rowIds(rows, "agent").equals(List.of(ids.get(7))));
        assertTrue(browser.getCurrentUrl().contains("q=" + ids.get(7)), browser.getCurrentUrl());
        assertEveryControlHasAName();
        assertNoReadPassed(MAX_ANSWER_BYTES);

        // Board: 100 cards asked for a page, cut by size; Next shows the rest, Previous the first again
        open("board", environment, "&limit=100");
        String cards = "#board .card";
        waiting(LOAD).until(d -> !d.findElements(By.cssSelector(cards)).isEmpty());
        List<String> first = rowIds(cards, "entity");
        assertTrue(first.size() < 60 && first.equals(entities.subList(0, first.size())), first.toString());
        browser.findElement(By.cssSelector("#board-pager [data-page=next]")).click();
        waiting(LOAD).until(d -> rowIds(cards, "entity").equals(entities.subList(first.size(), 60)));
        assertEquals("true", attributeOf(By.cssSelector("#board-pager [data-page=next]"), "disabled"));
        browser.findElement(By.cssSelector("#board-pager [data-page=previous]")).click();
        waiting(LOAD).until(d -> rowIds(cards, "entity").equals(first));
        assertTrue(textOf(By.cssSelector("#board-pager .page-info")).contains("entities 1–" + first.size()));
        // a filter that matches nothing empties the page
        WebElement status = browser.findElement(By.cssSelector("#board-filters [name=status]"));
        status.sendKeys("no-such-status");
        browser.findElement(By.cssSelector("#board-filters button[type=submit]")).click();
        waiting(LOAD).until(d -> d.findElements(By.cssSelector(cards)).isEmpty());
        assertEveryControlHasAName();
        assertNoReadPassed(MAX_ANSWER_BYTES);
    }

    /** The {@code data-*} attribute of each element found, in page order. */
    @SuppressWarnings("unchecked")
    private List<String> rowIds(String css, String data) {
        return (List<String>) js("return [...document.querySelectorAll(arguments[0])].map(e => e.dataset[arguments[1]]);",
                css, data);
    }

    /** Every read this page made so far (the browser's resource timings), by its decoded body size. */
    private void assertNoReadPassed(long bytes) {
        Object over = js("""
                return performance.getEntriesByType('resource')
                  .filter(e => e.decodedBodySize > arguments[0]).map(e => e.name + ' ' + e.decodedBodySize);""", bytes);
        assertEquals(List.of(), over, "reads over " + bytes + " bytes");
        Object reads = js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/dashboard/api/')).length;");
        assertTrue(((Number) reads).intValue() > 0, "no dashboard read was timed");
    }

    private void assertEveryControlHasAName() {
        Object unnamed = js("""
                return [...document.querySelectorAll('button, select, input, a, [role=meter]')]
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                               && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
                  .map(e => e.outerHTML.slice(0, 80));""");
        assertEquals(List.of(), unnamed, "controls without an accessible name");
    }

    @Test
    void conflictsViewShowsWhoCollidesWithWhomAndClicksThroughToFilesAndHunks() throws Exception {
        try (TestRepo mrRepo = TestRepo.create()) {
            String base = lines(40);
            mrRepo.write("src/app.txt", base).write("src/other.txt", lines(10)).commit("base");
            mrRepo.branch("left").write("src/app.txt", replaceLine(base, 12, "LEFT")).commit("left");
            mrRepo.checkout("main").branch("right").write("src/app.txt", replaceLine(base, 12, "RIGHT")).commit("right");
            mrRepo.checkout("main").branch("apart").write("src/other.txt", replaceLine(lines(10), 2, "APART")).commit("apart");
            mrRepo.checkout("main");
            String environment = Api.fresh("mrs");
            Api.asAdmin().body(Map.of("name", environment, "repository", mrRepo.dir.toString())).post("/environments")
                    .then().statusCode(201);
            String left = "L" + Api.fresh("mr"), right = "R" + Api.fresh("mr"), apart = "A" + Api.fresh("mr");
            for (String[] mr : new String[][]{{left, "left"}, {right, "right"}, {apart, "apart"}}) {
                Api.asAdmin().body(Map.of("title", "MR " + mr[1], "sourceRef", mr[1], "targetRef", "main"))
                        .put("/environments/" + environment + "/merge-requests/" + mr[0]).then().statusCode(201);
            }
            Agent reviewer = agent("rita", "Rita (reviewer)", "reviewer");
            signIn(reviewer);
            open("conflicts", environment);
            String pair = (left.compareTo(right) < 0 ? left + "|" + right : right + "|" + left);
            By cell = By.cssSelector("#conflicts td.cell.conflict[data-pair='" + pair + "'] button");
            waiting(LOAD).until(ExpectedConditions.elementToBeClickable(cell));
            assertEquals(2, browser.findElements(By.cssSelector("#conflicts td.cell.conflict")).size()); // both halves
            assertEquals(0, browser.findElements(By.cssSelector("#conflicts tr[data-merge-request='" + apart
                    + "'] td.cell.conflict, #conflicts tr[data-merge-request='" + apart + "'] td.cell.touch")).size());
            // the view redraws when its event stream opens: click whatever button is there now
            waiting(LOAD).until(d -> {
                d.findElement(cell).click();
                return true;
            });
            String details = textOf(By.cssSelector("#pair li[data-path='src/app.txt']"));
            assertTrue(details.contains("line 12 ↔"), details);
            assertTrue(textOf(By.id("pair")).contains("git would conflict"), textOf(By.id("pair")));
            assertEveryControlHasAName();
            screenshot("dashboard-conflicts.png");
        }
    }

    /** Saves the whole page as it is now, at the window's width. */
    private void screenshot(String name) throws Exception {
        Dimension before = browser.manage().window().getSize();
        long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
        browser.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(2400, Math.max(before.getHeight(), height + 20))));
        try {
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Path out = Path.of("target", "dashboard-screenshots", name);
            Files.createDirectories(out.getParent());
            Files.write(out, png);
            if (Boolean.getBoolean("dashboard.screenshots.refresh")) {
                Files.createDirectories(Path.of("docs"));
                Files.write(Path.of("docs", name), png);
            }
        } finally {
            browser.manage().window().setSize(before);
        }
    }
}
