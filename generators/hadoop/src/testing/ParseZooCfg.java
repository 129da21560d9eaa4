// Parses a zoo.cfg with ZooKeeper's own QuorumPeerConfig, as a quorum member does at start-up:
// prints "ok myid=N servers=N clientPort=N", or "invalid: <why>" and exits 2. Test helper only,
// compiled by zookeeper-parser.test.ts against Debian's zookeeper.jar.
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
public final class ParseZooCfg {
  public static void main(String[] args) {
    try {
      QuorumPeerConfig config = new QuorumPeerConfig();
      config.parse(args[0]);
      System.out.println("ok myid=" + config.getServerId() + " servers=" + config.getServers().size() + " clientPort=" + config.getClientPortAddress().getPort());
    } catch (Exception e) {
      Throwable c = e.getCause();
      System.out.println("invalid: " + e.getMessage() + (c != null ? " (" + c.getMessage() + ")" : ""));
      System.exit(2);
    }
  }
}
