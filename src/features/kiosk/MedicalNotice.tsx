/** The not-a-medical-device notice, in large type. */
export function MedicalNotice() {
  return (
    <p className="kiosk-notice" role="note" data-testid="kiosk-notice">
      <strong>Not a medical device.</strong> This is a research and teaching demonstration, not a diagnosis. If a spot on your skin worries you, see a
      doctor.
    </p>
  );
}
