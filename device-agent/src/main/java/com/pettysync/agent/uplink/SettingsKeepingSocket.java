package com.pettysync.agent.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An {@link SSLSocket} that keeps {@link PemTls}'s settings when a library replaces its {@link SSLParameters}: Paho
 * 1.2.5's {@code SSLNetworkModule.start()} sets a fresh {@code SSLParameters} that only names the SNI host, and the
 * JDK takes its empty application-protocol list as "no ALPN", which would drop {@value PemTls#AWS_MQTT_ALPN} on
 * port 443. Here the caller's parameters apply, except that an empty ALPN list, a missing endpoint identification
 * algorithm and missing protocol versions keep the factory's. Everything else is the wrapped socket's.
 */
final class SettingsKeepingSocket extends SSLSocket {
    private final SSLSocket ssl;
    private final SSLParameters kept;

    /** Wraps {@code ssl}, already configured: its parameters now are the ones kept. */
    SettingsKeepingSocket(SSLSocket ssl) {
        this.ssl = ssl;
        this.kept = ssl.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters p) {
        if (p.getApplicationProtocols().length == 0) {
            p.setApplicationProtocols(kept.getApplicationProtocols());
        }
        if (p.getEndpointIdentificationAlgorithm() == null) {
            p.setEndpointIdentificationAlgorithm(kept.getEndpointIdentificationAlgorithm());
        }
        if (p.getProtocols() == null) {
            p.setProtocols(kept.getProtocols());
        }
        ssl.setSSLParameters(p);
    }

    @Override
    public void connect(java.net.SocketAddress endpoint) throws IOException {
        ssl.connect(endpoint);
    }

    @Override
    public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
        ssl.connect(endpoint, timeout);
    }

    @Override
    public void bind(java.net.SocketAddress bindpoint) throws IOException {
        ssl.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return ssl.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return ssl.getLocalAddress();
    }

    @Override
    public int getPort() {
        return ssl.getPort();
    }

    @Override
    public int getLocalPort() {
        return ssl.getLocalPort();
    }

    @Override
    public java.net.SocketAddress getRemoteSocketAddress() {
        return ssl.getRemoteSocketAddress();
    }

    @Override
    public java.net.SocketAddress getLocalSocketAddress() {
        return ssl.getLocalSocketAddress();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return ssl.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return ssl.getOutputStream();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        ssl.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return ssl.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        ssl.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return ssl.getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        ssl.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return ssl.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        ssl.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return ssl.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        ssl.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return ssl.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        ssl.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return ssl.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        ssl.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return ssl.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        ssl.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return ssl.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        ssl.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        ssl.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ssl.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return ssl.isConnected();
    }

    @Override
    public boolean isBound() {
        return ssl.isBound();
    }

    @Override
    public boolean isClosed() {
        return ssl.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return ssl.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return ssl.isOutputShutdown();
    }

    @Override
    public String toString() {
        return ssl.toString();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return ssl.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return ssl.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        ssl.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return ssl.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return ssl.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        ssl.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return ssl.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return ssl.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        ssl.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        ssl.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void startHandshake() throws IOException {
        ssl.startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        ssl.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return ssl.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        ssl.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return ssl.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        ssl.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return ssl.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        ssl.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return ssl.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return ssl.getSSLParameters();
    }

    @Override
    public String getApplicationProtocol() {
        return ssl.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return ssl.getHandshakeApplicationProtocol();
    }

    @Override
    public <T> java.net.Socket setOption(java.net.SocketOption<T> name, T value) throws IOException {
        ssl.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(java.net.SocketOption<T> name) throws IOException {
        return ssl.getOption(name);
    }

    @Override
    public java.util.Set<java.net.SocketOption<?>> supportedOptions() {
        return ssl.supportedOptions();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        ssl.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        ssl.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return ssl.getOOBInline();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        ssl.setPerformancePreferences(connectionTime, latency, bandwidth);
    }
}
