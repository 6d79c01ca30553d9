package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/password"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "atip test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func seedUser(ctx context.Context, db *database.DB) error {
	org := &atip.Org{Name: "Test Org", Type: atip.OrgAHTU, Jurisdiction: "IN"}
	if err := database.NewOrgService(db).CreateOrg(ctx, org); err != nil {
		return err
	}
	return database.NewUserService(db).CreateUser(ctx, &atip.User{OrgID: org.ID, Login: "tls.user", Name: "TLS User", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "en"}, "a long enough password")
}

// Under TLS the whole app speaks HTTPS: HSTS on every response, and the
// session cookie Secure with the __Host- prefix; the JSON API answers on the
// same listener.
func TestServesHTTPSWithSecureCookies(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	m := New(Config{
		Addr: "127.0.0.1:0", DBURL: filepath.Join(dir, "atip.db"),
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
		TLSCert:   certFile, TLSKey: keyFile,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seed:   seedUser,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !strings.HasPrefix(m.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %s", m.URL())
	}
	client := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.PostForm(m.URL()+"/login", map[string][]string{"login": {"tls.user"}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", resp.StatusCode)
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS under TLS")
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-atip_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("session cookie %+v", session)
	}
	// The API accepts the browser's session on the same origin.
	req, _ := http.NewRequest("GET", m.URL()+"/api/v1/openapi.json", nil)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("OpenAPI document: status %d", resp.StatusCode)
	}
	// Plain HTTP on the TLS port is refused.
	if resp, err := http.Get("http://" + strings.TrimPrefix(m.URL(), "https://") + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP served on the TLS listener")
		}
	}
}

func TestRunRefusesHalfATLSConfiguration(t *testing.T) {
	dir := t.TempDir()
	m := New(Config{Addr: "127.0.0.1:0", DBURL: filepath.Join(dir, "atip.db"), TLSCert: "cert.pem",
		DBOptions: []database.Option{database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := m.Run(context.Background()); err == nil {
		m.Close()
		t.Fatal("started with a certificate but no key")
	}
}
