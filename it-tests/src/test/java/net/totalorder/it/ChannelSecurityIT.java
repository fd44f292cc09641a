package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

/**
 * The servers' JGroups channel (127.0.0.11..13, port 7800) speaks mutual TLS only: a process without a certificate
 * signed by the cluster's CA cannot complete a handshake — so it can neither join, read nor send — and one that
 * speaks plain text is cut off. Each attempt is made against every server; afterwards the servers still agree.
 */
class ChannelSecurityIT {

    private static final List<InetSocketAddress> CHANNELS = List.of(new InetSocketAddress("127.0.0.11", 7800),
            new InetSocketAddress("127.0.0.12", 7800), new InetSocketAddress("127.0.0.13", 7800));

    /** The certificate chain the last server presented. */
    private static volatile X509Certificate[] presented;

    /** Trusts any server (the attacker only wants in) and remembers what it presented. */
    private static final TrustManager[] TRUST_ANYONE = {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            presented = chain;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }};

    /**
     * Handshakes and tries to read what the member says; fails unless the member speaks TLS as a member of the cluster
     * (its certificate signed by the cluster CA) and then refuses the client with a certificate alert.
     */
    private static void refused(SSLContext context, InetSocketAddress member) throws Exception {
        presented = null;
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(member, 2000);
            socket.setSoTimeout(5000);
            // In TLS 1.3 the server checks the client's certificate after the client's side of the handshake is done,
            // so the refusal shows on the first read: an alert, or the connection closed.
            IOException e = assertThrows(IOException.class, () -> {
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed by " + member);
                }
            }, member + " let a client in");
            assertTrue(presented != null && presented[0].getIssuerX500Principal().getName()
                    .equals("CN=totalorder cluster CA"), member + " did not present a certificate of the cluster CA");
            assertTrue(e.getMessage().contains("bad_certificate") || e.getMessage().contains("certificate_required"),
                    member + " refused for another reason than the certificate: " + e);
            System.out.println("  " + member + " (" + presented[0].getSubjectX500Principal().getName() + "): " + e);
        }
    }

    private static SSLContext tls(KeyManagerFactory keys) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys == null ? null : keys.getKeyManagers(), TRUST_ANYONE, null);
        return context;
    }

    @Test
    void aProcessWithoutTheClusterCertificate_cannotJoinReadOrSend() throws Exception {
        LocalCluster.awaitReady();
        long before = LocalCluster.awaitAgreement(Duration.ofSeconds(60), 1, 2, 3);

        System.out.println("TLS without a client certificate:");
        for (InetSocketAddress member : CHANNELS) {
            refused(tls(null), member);
        }

        System.out.println("TLS with a certificate the cluster CA did not sign:");
        Path store = Files.createTempDirectory("intruder").resolve("intruder.p12");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "node2", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=node2", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "intruder", "-keypass", "intruder")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "intruder".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, "intruder".toCharArray());
        for (InetSocketAddress member : CHANNELS) {
            refused(tls(keys), member);
        }

        System.out.println("plain text:");
        for (InetSocketAddress member : CHANNELS) {
            try (Socket plain = new Socket()) {
                plain.connect(member, 2000);
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("bela\0\0\0\0 a JGroups cookie and a forged frame".getBytes());
                plain.getOutputStream().flush();
                int answer;
                try {
                    answer = plain.getInputStream().read();
                } catch (IOException e) {
                    answer = -1;
                }
                assertEquals(0x15, answer, member + " did not answer plain text with a TLS alert");
                System.out.println("  " + member + ": TLS alert");
            }
        }

        LocalCluster.awaitReady();
        assertEquals(before, LocalCluster.awaitAgreement(Duration.ofSeconds(60), 1, 2, 3),
                "nothing was ordered by the attempts");
    }
}
