package net.totalorder.it;

import java.io.File;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployment every integration test runs against: the DERMS WAR built by sample-app, deployed by Arquillian as
 * {@code derms.war} (context root {@code /derms}) to each server of the container group. Deployments are
 * client-mode: tests talk HTTP to the servers, as users do. A test class gets a fresh deployment, so a fresh
 * replication group with an empty state.
 */
@ExtendWith(ArquillianExtension.class)
abstract class DermsOnThreeServers {

    private static WebArchive derms() {
        File war = new File(System.getProperty("derms.war", "../sample-app/target/sample-app.war"));
        return ShrinkWrap.create(ZipImporter.class, "derms.war").importFrom(war).as(WebArchive.class);
    }

    @Deployment(name = "derms-node1", testable = false, order = 1)
    @TargetsContainer("node1")
    static WebArchive node1() {
        return derms();
    }

    @Deployment(name = "derms-node2", testable = false, order = 2)
    @TargetsContainer("node2")
    static WebArchive node2() {
        return derms();
    }

    @Deployment(name = "derms-node3", testable = false, order = 3)
    @TargetsContainer("node3")
    static WebArchive node3() {
        return derms();
    }
}
