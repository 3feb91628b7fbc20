import type { Dict } from "./mod.ts";

/**
 * Front desk / guest book. Sections (same order in both languages):
 * statuses · errors and field messages · QR refusals · reviews · reports/CSV ·
 * WhatsApp · e-mail · notifications · pages (UI strings, added by the pages).
 */
const dict: Dict = {
  id: {
    // --- statuses (PRODUCT.md §2.5)
    "guestbook.status.scheduled": "Belum datang",
    "guestbook.status.waiting": "Menunggu",
    "guestbook.status.in_meeting": "Sedang berlangsung",
    "guestbook.status.finished": "Selesai",
    "guestbook.status.cancelled": "Dibatalkan",
    "guestbook.status.no_show": "Tidak hadir",
    "guestbook.late": "Telat",
    "guestbook.on_time": "Tepat waktu",
    "guestbook.walk_in": "Tanpa janji",

    // --- errors and field messages
    "guestbook.phone_invalid": "Nomor telepon Indonesia tidak valid (contoh: 0812-3456-7890).",
    "guestbook.phone_taken": "Nomor telepon ini sudah dipakai akun lain.",
    "guestbook.phone_not_guest": "Nomor telepon ini milik akun staf atau klien, bukan tamu.",
    "guestbook.email_taken": "Alamat e-mail ini sudah dipakai akun lain.",
    "guestbook.guest_not_found": "Tamu tidak ditemukan.",
    "guestbook.appointment_not_found": "Janji temu tidak ditemukan.",
    "guestbook.teacher_invalid": "Pilih guru yang aktif.",
    "guestbook.starts_in_past": "Waktu janji temu tidak boleh di masa lalu.",
    "guestbook.starts_too_far": "Waktu janji temu terlalu jauh ke depan.",
    "guestbook.not_your_appointment": "Ini bukan janji temu Anda.",
    "guestbook.invalid_transition":
      "Status tidak dapat diubah dari \"{from}\" ke \"{to}\".",

    // --- QR refusals (scanner, API)
    "guestbook.qr.malformed": "Kode QR tidak dikenali.",
    "guestbook.qr.bad_signature": "Kode QR tidak sah (palsu atau telah diubah).",
    "guestbook.qr.not_found": "Janji temu untuk kode QR ini tidak ditemukan.",
    "guestbook.qr.cancelled": "Janji temu ini telah dibatalkan.",
    "guestbook.qr.already_checked_in": "Tamu ini sudah tercatat hadir (pukul {time}).",
    "guestbook.qr.wrong_day": "Kode QR ini hanya berlaku pada tanggal {date}, bukan hari ini.",
    "guestbook.qr.review_available": "Pertemuan sudah selesai. Silakan beri ulasan.",

    // --- reviews
    "guestbook.rating_range": "Pilih 1 sampai 5 bintang.",
    "guestbook.review_not_available": "Ulasan baru dapat diberikan setelah pertemuan selesai.",
    "guestbook.already_reviewed": "Janji temu ini sudah diberi ulasan.",

    // --- reports and CSV headers
    "guestbook.report.period": "Periode",
    "guestbook.report.appointments": "Janji temu",
    "guestbook.report.visits": "Kunjungan",
    "guestbook.report.on_time": "Tepat waktu",
    "guestbook.report.late": "Telat",
    "guestbook.report.walk_ins": "Tanpa janji",
    "guestbook.report.punctuality_percent": "Ketepatan waktu (%)",
    "guestbook.report.average_wait_minutes": "Rata-rata waktu tunggu (menit)",
    "guestbook.report.average_rating": "Rata-rata penilaian",
    "guestbook.report.rating_count": "Jumlah ulasan",
    "guestbook.report.date": "Tanggal",
    "guestbook.report.teacher": "Guru",

    // --- WhatsApp (only the guest's name and the date/time go into the link)
    "guestbook.whatsapp.message":
      "Halo {name}, janji temu Anda di {app} dijadwalkan {date} pukul {time}. Tunjukkan kode QR di halaman ini kepada petugas meja depan saat tiba: {url}",

    // --- e-mail to the guest
    "guestbook.mail.subject": "Janji temu Anda: {date} pukul {time}",
    "guestbook.mail.greeting": "Halo {name},",
    "guestbook.mail.intro": "Berikut janji temu Anda di {app}.",
    "guestbook.mail.when": "Waktu",
    "guestbook.mail.teacher": "Bertemu dengan",
    "guestbook.mail.purpose": "Keperluan",
    "guestbook.mail.show_qr": "Tunjukkan kode QR ini kepada petugas meja depan saat tiba. Kode hanya berlaku pada hari janji temu.",
    "guestbook.mail.qr_alt": "Kode QR janji temu",
    "guestbook.mail.password": "Untuk melihat janji temu Anda, masuk dengan nomor telepon dan kata sandi berikut:",
    "guestbook.mail.footer": "Pesan ini dikirim otomatis oleh {app}.",

    // --- notifications (guest_arrived)
    "guestbook.notify.guest_arrived": "Tamu {name} telah tiba untuk {purpose}",
    "guestbook.notify.arrived_at": "Tiba pukul {time}",
  },
  en: {
    // --- statuses (PRODUCT.md §2.5)
    "guestbook.status.scheduled": "Not arrived",
    "guestbook.status.waiting": "Waiting",
    "guestbook.status.in_meeting": "In meeting",
    "guestbook.status.finished": "Finished",
    "guestbook.status.cancelled": "Cancelled",
    "guestbook.status.no_show": "No-show",
    "guestbook.late": "Late",
    "guestbook.on_time": "On time",
    "guestbook.walk_in": "Walk-in",

    // --- errors and field messages
    "guestbook.phone_invalid": "Not a valid Indonesian phone number (e.g. 0812-3456-7890).",
    "guestbook.phone_taken": "This phone number is used by another account.",
    "guestbook.phone_not_guest": "This phone number belongs to a staff or client account, not a guest.",
    "guestbook.email_taken": "This e-mail address is used by another account.",
    "guestbook.guest_not_found": "Guest not found.",
    "guestbook.appointment_not_found": "Appointment not found.",
    "guestbook.teacher_invalid": "Choose an active teacher.",
    "guestbook.starts_in_past": "The appointment time cannot be in the past.",
    "guestbook.starts_too_far": "The appointment time is too far ahead.",
    "guestbook.not_your_appointment": "This is not your appointment.",
    "guestbook.invalid_transition": "The status cannot change from \"{from}\" to \"{to}\".",

    // --- QR refusals (scanner, API)
    "guestbook.qr.malformed": "QR code not recognised.",
    "guestbook.qr.bad_signature": "Invalid QR code (forged or altered).",
    "guestbook.qr.not_found": "No appointment found for this QR code.",
    "guestbook.qr.cancelled": "This appointment was cancelled.",
    "guestbook.qr.already_checked_in": "This guest has already checked in (at {time}).",
    "guestbook.qr.wrong_day": "This QR code is valid only on {date}, not today.",
    "guestbook.qr.review_available": "The meeting has finished. Please leave a review.",

    // --- reviews
    "guestbook.rating_range": "Choose 1 to 5 stars.",
    "guestbook.review_not_available": "A review can be left once the meeting has finished.",
    "guestbook.already_reviewed": "This appointment has already been reviewed.",

    // --- reports and CSV headers
    "guestbook.report.period": "Period",
    "guestbook.report.appointments": "Appointments",
    "guestbook.report.visits": "Visits",
    "guestbook.report.on_time": "On time",
    "guestbook.report.late": "Late",
    "guestbook.report.walk_ins": "Walk-ins",
    "guestbook.report.punctuality_percent": "Punctuality (%)",
    "guestbook.report.average_wait_minutes": "Average waiting time (minutes)",
    "guestbook.report.average_rating": "Average rating",
    "guestbook.report.rating_count": "Reviews",
    "guestbook.report.date": "Date",
    "guestbook.report.teacher": "Teacher",

    // --- WhatsApp (only the guest's name and the date/time go into the link)
    "guestbook.whatsapp.message":
      "Hello {name}, your appointment at {app} is on {date} at {time}. Show the QR code on this page to the front desk when you arrive: {url}",

    // --- e-mail to the guest
    "guestbook.mail.subject": "Your appointment: {date} at {time}",
    "guestbook.mail.greeting": "Hello {name},",
    "guestbook.mail.intro": "Here is your appointment at {app}.",
    "guestbook.mail.when": "When",
    "guestbook.mail.teacher": "Meeting with",
    "guestbook.mail.purpose": "Purpose",
    "guestbook.mail.show_qr": "Show this QR code to the front desk when you arrive. It is valid only on the day of the appointment.",
    "guestbook.mail.qr_alt": "Appointment QR code",
    "guestbook.mail.password": "To see your appointments, sign in with your phone number and this password:",
    "guestbook.mail.footer": "This message was sent automatically by {app}.",

    // --- notifications (guest_arrived)
    "guestbook.notify.guest_arrived": "Guest {name} has arrived for {purpose}",
    "guestbook.notify.arrived_at": "Arrived at {time}",
  },
};
export default dict;
