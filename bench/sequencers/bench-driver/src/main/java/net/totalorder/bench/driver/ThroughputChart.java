package net.totalorder.bench.driver;

import java.util.List;
import java.util.Locale;

/**
 * The report's plot, written as SVG by hand: throughput (ops/s, linear from 0) against the client thread count N
 * (logarithmic when there are several counts), one line per system (dashed for durable logs), with labelled axes and
 * a legend. Failed runs are left out of their system's line.
 *
 * <p>Stateless; the static method may be called from any thread.
 */
final class ThroughputChart {

    private static final int WIDTH = 780;
    private static final int HEIGHT = 460;
    private static final int LEFT = 90;
    private static final int RIGHT = 200;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    private static final int Y_TICKS = 5;
    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#8c1a1a", "#0d3d66", "#ff7f0e",
            "#ff9896", "#aec7e8", "#9467bd", "#8c564b", "#e377c2"};

    private ThroughputChart() {
    }

    static String svg(List<RunResult> results, List<SystemUnderTest> systems, List<Integer> clientCounts) {
        List<Integer> counts = clientCounts.stream().sorted().distinct().toList();
        double yMax = niceCeiling(results.stream().filter(RunResult::succeeded)
                .mapToDouble(RunResult::opsPerSecond).max().orElse(0));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, HEIGHT, WIDTH,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(text(LEFT + PLOT_WIDTH / 2.0, TOP - 22, "middle", "font-size=\"16\"",
                "Throughput against client threads (3 members per system, loopback)"));

        for (int i = 0; i <= Y_TICKS; i++) {
            double value = yMax * i / Y_TICKS;
            double y = y(value, yMax);
            svg.append(line(LEFT, y, LEFT + PLOT_WIDTH, y, i == 0 ? "#000" : "#ddd"));
            svg.append(text(LEFT - 8, y + 4, "end", "", String.format(Locale.ROOT, "%,.0f", value)));
        }
        for (int n : counts) {
            double x = x(n, counts);
            svg.append(line(x, TOP + PLOT_HEIGHT, x, TOP + PLOT_HEIGHT + 5, "#000"));
            svg.append(text(x, TOP + PLOT_HEIGHT + 20, "middle", "", Integer.toString(n)));
        }
        svg.append(line(LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, "#000"));
        svg.append(text(LEFT + PLOT_WIDTH / 2.0, HEIGHT - 22, "middle", "",
                counts.size() > 1 ? "client threads N (log scale)" : "client threads N"));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 %d %.1f)\">throughput (ops/s)</text>%n", 24, TOP + PLOT_HEIGHT / 2.0, 24,
                TOP + PLOT_HEIGHT / 2.0));

        for (int s = 0; s < systems.size(); s++) {
            SystemUnderTest system = systems.get(s);
            String colour = COLOURS[system.ordinal() % COLOURS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder markers = new StringBuilder();
            for (int n : counts) {
                for (RunResult r : results) {
                    if (r.system() == system && r.clients() == n && r.succeeded()) {
                        double x = x(n, counts);
                        double y = y(r.opsPerSecond(), yMax);
                        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                        markers.append(String.format(Locale.ROOT,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, colour));
                    }
                }
            }
            String dash = system.durable ? " stroke-dasharray=\"6 4\"" : "";
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", points.toString().trim(), colour, dash));
            svg.append(markers);
            double legendY = TOP + 10 + 24 * s;
            double legendX = LEFT + PLOT_WIDTH + 20;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                    + " stroke=\"%s\" stroke-width=\"2\"%s/>%n", legendX, legendY, legendX + 28, legendY, colour, dash));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                    legendX + 14, legendY, colour));
            svg.append(text(legendX + 36, legendY + 4, "start", "", system.label));
        }
        return svg.append("</svg>\n").toString();
    }

    /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code value} (1 for nothing). */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static double x(int clients, List<Integer> counts) {
        if (counts.size() == 1) {
            return LEFT + PLOT_WIDTH / 2.0;
        }
        double min = Math.log(counts.get(0));
        double max = Math.log(counts.get(counts.size() - 1));
        return LEFT + 20 + (Math.log(clients) - min) / (max - min) * (PLOT_WIDTH - 40);
    }

    private static double y(double opsPerSecond, double yMax) {
        return TOP + PLOT_HEIGHT - opsPerSecond / yMax * PLOT_HEIGHT;
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String anchor, String attributes, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n", x, y,
                anchor, attributes, escape(content));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
