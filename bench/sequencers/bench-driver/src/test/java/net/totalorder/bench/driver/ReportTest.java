package net.totalorder.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportTest {

    private final DriverOptions options = new DriverOptions(2, 3, List.of(1, 4),
            List.of(SystemUnderTest.OURS, SystemUnderTest.RAFT, SystemUnderTest.ISPN),
            Path.of("bench-report.md"), Path.of("bench-logs"));
    private final List<RunResult> results = List.of(
            new RunResult(SystemUnderTest.OURS, 1, 300, 3000, 9000, 80, 0, 900, null),
            new RunResult(SystemUnderTest.OURS, 4, 1200, 3000, 9000, 60.5, 0, 3600, null),
            new RunResult(SystemUnderTest.RAFT, 1, 600, 1500, 5000, 120, 0, 1800, null),
            RunResult.failed(SystemUnderTest.RAFT, 4, "m1 said nothing for 180 s"),
            new RunResult(SystemUnderTest.ISPN, 1, 100, 9000, 20000, 400, 1, 300, null),
            new RunResult(SystemUnderTest.ISPN, 4, 150, 25000, 90000, 300, 0, 450, null));

    @Test
    void theRatioIsOursOverRaftWhereBothSucceeded() {
        Report report = new Report(results, options);

        Report.Pair oursOverRaft = new Report.Pair(SystemUnderTest.OURS, SystemUnderTest.RAFT);
        assertEquals(0.5, report.ratio(oursOverRaft, 1).orElseThrow(), 1e-9);
        assertTrue(report.ratio(oursOverRaft, 4).isEmpty());
        assertTrue(report.table().contains("OURS / jgroups-raft                         0.50       –"),
                report.table());
        assertTrue(report.markdown("bench-report.svg", "now").contains("| OURS / jgroups-raft | 0.50 | – |"));
        assertTrue(report.ratio(new Report.Pair(SystemUnderTest.OURS, SystemUnderTest.RATIS), 1).isEmpty(),
                "no Ratis run, no ratio");
        assertFalse(report.table().contains("Apache Ratis"), "a pair without any run is left out");
        assertTrue(report.table().contains("FAILED: m1 said nothing"));
        assertTrue(report.markdown("bench-report.svg", "now")
                .contains("| OURS | 4 | 1200.0 | 3000 | 9000 | 60.5 | 0 | 3600 |"));
    }

    @Test
    void theCpuRatioIsThePeersCpuPerOpOverOurs() {
        Report report = new Report(results, options);

        Report.Pair oursOverRaft = new Report.Pair(SystemUnderTest.OURS, SystemUnderTest.RAFT);
        assertEquals(1.5, report.ratio(Report.Ratio.CPU_PER_OP, oursOverRaft, 1).orElseThrow(), 1e-9);
        assertTrue(report.ratio(Report.Ratio.CPU_PER_OP, oursOverRaft, 4).isEmpty(), "raft failed at N=4");
        assertTrue(report.table().contains("jgroups-raft / OURS                         1.50       –"),
                report.table());
        assertTrue(report.table().contains("OURS                      4       1200.0       3000       9000"
                + "       60.5        0"), report.table());
        assertTrue(report.markdown("bench-report.svg", "now").contains("| jgroups-raft / OURS | 1.50 | – |"));
    }

    @Test
    void thePlotIsWellFormedSvgWithALinePerSystem() throws Exception {
        String svg = ThroughputChart.svg(results, options.systems(), options.clientCounts());

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(3, doc.getElementsByTagName("polyline").getLength());
        assertTrue(svg.contains("throughput (ops/s)"));
        assertTrue(svg.contains("client threads N (log scale)"));
        assertTrue(svg.contains(">jgroups-raft<"));
    }

    @Test
    void theYAxisEndsAtARoundNumber() {
        assertEquals(2000, ThroughputChart.niceCeiling(1165), 1e-9);
        assertEquals(500, ThroughputChart.niceCeiling(500), 1e-9);
        assertEquals(10_000, ThroughputChart.niceCeiling(5001), 1e-9);
        assertEquals(1, ThroughputChart.niceCeiling(0), 1e-9);
    }
}
