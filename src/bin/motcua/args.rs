//! The command line, as clap reads it. Every subcommand's help is the
//! Vietnamese a clerk or an admin reads; shapes are those the issues spell.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "motcua",
    version,
    about = "Bộ phận Một cửa cấp xã: tiếp nhận hồ sơ, cấp mã, in giấy hẹn — không cần mạng"
)]
pub struct Cli {
    /// Thư mục dữ liệu (mặc định: MOTCUA_DATA_DIR hoặc thư mục dữ liệu ứng dụng của hệ điều hành)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// In kết quả dạng JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// Chạy lệnh như thể đang ở thời điểm này (giờ Việt Nam) — chỉ cho cơ quan dùng thử
    #[arg(long, global = true, value_name = "YYYY-MM-DDTHH:MM")]
    pub now: Option<String>,
    /// Tên đăng nhập (mật khẩu lấy từ MOTCUA_PASSWORD, hoặc hỏi trong cửa sổ dòng lệnh)
    #[arg(long, global = true, env = "MOTCUA_USER", value_name = "LOGIN")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    #[command(flatten)]
    Setup(SetupCommand),
    #[command(flatten)]
    Dossier(DossierCommand),
    #[command(flatten)]
    Lifecycle(LifecycleCommand),
    #[command(flatten)]
    Paper(PaperCommand),
    #[command(flatten)]
    Pure(PureCommand),
    #[command(flatten)]
    Sync(SyncGroupCommand),
    #[command(flatten)]
    Report(ReportCommand),
    /// Kiểm tra nhật ký chống sửa đổi: chuỗi băm của các sự kiện và bảng hồ sơ
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Tài khoản người dùng (quản trị viên)
    #[command(subcommand)]
    User(UserCommand),
    /// Thiết lập của cơ quan và quầy
    #[command(subcommand)]
    Office(OfficeCommand),
    #[command(flatten)]
    Backup(BackupCommand),
}

// Backups of the whole office, and restoring one.
#[derive(Subcommand)]
pub enum BackupCommand {
    /// Sao lưu toàn bộ (dữ liệu, kho bản in, khóa) thành một tệp mã hóa (quản trị viên)
    Backup {
        /// Ghi vào tệp này (mặc định: thư mục backups/ trong thư mục dữ liệu, và thư mục thứ hai nếu có)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Chỉ sao lưu khi hôm nay chưa có bản nào (cho lịch chạy tự động)
        #[arg(long)]
        if_due: bool,
        /// Đặt thư mục sao lưu thứ hai (ổ USB); chuỗi rỗng để bỏ
        #[arg(long, value_name = "DIR")]
        second_dir: Option<String>,
    },
    /// Khôi phục một bản sao lưu vào thư mục dữ liệu trống (đăng nhập bằng
    /// tài khoản và mật khẩu của lúc sao lưu, hoặc bằng khóa khôi phục)
    Restore {
        #[arg(long)]
        from: PathBuf,
        #[arg(long)]
        recovery_key: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Thêm tài khoản (mật khẩu mới lấy từ MOTCUA_NEW_PASSWORD, hoặc hỏi)
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// clerk | leader | admin (lặp lại hoặc ngăn bằng dấu phẩy)
        #[arg(long, required = true)]
        role: Vec<String>,
    },
    /// Danh sách tài khoản
    List,
    /// Vô hiệu hóa một tài khoản
    Disable { login: String },
    /// Kích hoạt lại một tài khoản
    Enable { login: String },
    /// Đặt mật khẩu mới (từ MOTCUA_NEW_PASSWORD, hoặc hỏi); cũng mở khóa
    Password { login: String },
    /// Mở khóa tài khoản bị khóa vì nhập sai mật khẩu
    Unlock { login: String },
}

#[derive(Subcommand)]
pub enum OfficeCommand {
    /// Xem thiết lập của cơ quan và quầy
    Show,
    /// Sửa thiết lập (quản trị viên). Mã cơ quan và số quầy không đổi được
    /// sau khi đã cấp mã hồ sơ hoặc đã đăng ký với tỉnh.
    Set(Box<OfficeSetArgs>),
    /// Ai đã thay đổi thiết lập, tài khoản, lịch, danh mục, đăng ký — và khi nào (quản trị viên)
    History {
        /// Số dòng mới nhất
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

#[derive(Args)]
pub struct OfficeSetArgs {
    #[arg(long)]
    pub office_name: Option<String>,
    #[command(flatten)]
    pub contact: OfficeContactArgs,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub agency_code: Option<String>,
    #[arg(long)]
    pub counter: Option<i64>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub morning: Option<String>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub afternoon: Option<String>,
    #[arg(long)]
    pub saturday_morning: Option<bool>,
    #[arg(long, value_name = "HH:MM")]
    pub same_day_cutoff: Option<String>,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Kiểm tra toàn bộ: mỗi sự kiện khớp mã băm, chuỗi của máy này liền mạch,
    /// mỗi dòng hồ sơ đúng bằng kết quả các sự kiện của nó. Mã thoát 1 khi có sai lệch.
    Verify,
    /// Dựng lại bảng hồ sơ từ các sự kiện
    Rebuild,
}

// Setting up the office and its catalog.
#[derive(Subcommand)]
pub enum SetupCommand {
    /// Thiết lập cơ quan và quầy lần đầu (kèm danh mục thủ tục mặc định)
    Init(Box<InitArgs>),
    /// Khi mọi quản trị viên đều quên mật khẩu: mở dữ liệu bằng khóa khôi phục
    /// và đặt mật khẩu mới cho một quản trị viên (lấy từ MOTCUA_NEW_PASSWORD, hoặc hỏi)
    Recover {
        #[arg(long)]
        recovery_key: String,
        /// Tên đăng nhập của quản trị viên
        #[arg(long)]
        login: String,
    },
    /// Danh mục thủ tục hành chính
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Chữ in trên các phiếu: bộ của chương trình, bộ của tỉnh, bộ riêng của cơ quan
    #[command(subcommand)]
    Forms(FormsCommand),
}

#[derive(Subcommand)]
pub enum FormsCommand {
    /// Các bộ chữ đang dùng, từng lớp (tỉnh, cơ quan) trên bộ của chương trình
    Show,
    /// Đặt bộ chữ riêng của cơ quan từ tệp JSON (quản trị viên); tệp sai bị từ chối, bộ đang dùng giữ nguyên
    Set { file: PathBuf },
}

// Receiving and finding dossiers.
#[derive(Subcommand)]
pub enum DossierCommand {
    /// Tiếp nhận một hồ sơ từ tệp JSON (hoặc "-" cho đầu vào chuẩn)
    Receive {
        #[arg(long, value_name = "FILE|-")]
        input: String,
        /// Công chức tiếp nhận (mặc định: người đang trực quầy)
        #[arg(long)]
        clerk: Option<String>,
    },
    /// Xem một hồ sơ và lịch sử của nó
    Show { code: String },
    /// Tìm hồ sơ theo mã, họ tên (không cần dấu), số định danh, số điện thoại
    Search { query: String },
    /// Danh sách hồ sơ tiếp nhận trong một ngày (mặc định hôm nay)
    List {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Bảng việc cần làm: quá hạn, đến hạn hôm nay, ngày mai, chờ bổ sung, chờ trả
    Board,
}

// Every step after reception (Decree 118/2025/NĐ-CP), each decided by the rulebook.
#[derive(Subcommand)]
pub enum LifecycleCommand {
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (tệp JSON: {reason, documents: [{name, form, count}]})
    Supplement {
        code: String,
        #[arg(long, value_name = "FILE|-")]
        input: String,
    },
    /// Người dân đã nộp đủ hồ sơ bổ sung: tính lại thời hạn từ đầu
    SupplementComplete { code: String },
    /// Từ chối giải quyết hồ sơ, ghi rõ lý do
    Refuse {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Gia hạn, hẹn lại ngày trả kết quả (một lần)
    Extend {
        code: String,
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        new_due: String,
        #[arg(long)]
        reason: String,
    },
    /// Dừng giải quyết theo đề nghị của người nộp (rút hồ sơ)
    Stop {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Bàn giao hồ sơ giữa Bộ phận Một cửa và cơ quan giải quyết
    Handover {
        code: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        note: Option<String>,
        /// Hạn xử lý của bước này (bên nhận phải xong trước ngày này), in trên phiếu kiểm soát
        #[arg(long, value_name = "YYYY-MM-DD")]
        step_due: Option<String>,
    },
    /// Ghi nhận đã có kết quả giải quyết
    Result {
        code: String,
        #[arg(long)]
        number: String,
        #[arg(long)]
        issuer: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        issued_on: Option<String>,
    },
    /// Trả kết quả cho người đến nhận (đã đối chiếu giấy tờ tùy thân)
    Return {
        code: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        id_number: String,
        /// Trả qua bưu chính thay vì tại quầy
        #[arg(long)]
        post: bool,
    },
    /// Kết thúc hồ sơ quá 15 ngày không bổ sung
    CloseUnsupplemented { code: String },
    /// Kết quả có sai sót của cơ quan: ghi nhận yêu cầu đính chính (trong 3 ngày làm việc)
    Correct {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Đã đính chính kết quả (số văn bản mới)
    CorrectionDone {
        code: String,
        #[arg(long)]
        number: String,
    },
}

// Printing, printers and the tracking book.
#[derive(Subcommand)]
pub enum PaperCommand {
    /// In phiếu: receipt, supplement, refusal, extension, stop, control, return
    Print {
        form: String,
        code: String,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        printer: Option<String>,
        #[arg(long)]
        a5: bool,
        #[arg(long, default_value_t = 1)]
        copies: u32,
    },
    /// Các máy in hệ điều hành biết
    Printers,
    /// Sổ theo dõi hồ sơ của một khoảng thời gian, ra tệp .pdf hoặc .xlsx
    Book {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx")]
        out: PathBuf,
    },
}

// Commands that need no office: the ID card QR, due dates, the calendar, the lunar date.
#[derive(Subcommand)]
pub enum PureCommand {
    /// Mã QR trên thẻ căn cước
    #[command(subcommand, name = "id-qr")]
    IdQr(IdQrCommand),
    /// Tính ngày hẹn trả
    Due(DueArgs),
    /// Lịch làm việc, ngày nghỉ lễ
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Đổi ngày dương lịch sang âm lịch
    Lunar {
        #[arg(value_name = "YYYY-MM-DD")]
        date: String,
    },
}

// Sync with the provincial hub.
#[derive(Subcommand)]
pub enum SyncGroupCommand {
    /// Đồng bộ với máy chủ tỉnh (một lần). Mã thoát: 0 xong; 4 xong nhưng có mục cần xử lý;
    /// 5 không kết nối được hoặc máy chủ lỗi (sẽ thử lại sau); 6 máy chủ không chấp nhận quầy (đăng ký lại);
    /// 7 quầy chưa đăng ký
    Sync {
        #[command(subcommand)]
        what: Option<SyncCommand>,
    },
    /// Đăng ký quầy này với máy chủ tỉnh bằng mã một lần
    Enroll {
        #[arg(long, value_name = "URL")]
        hub: String,
        #[arg(long)]
        code: String,
        /// Cho phép máy chủ http:// không mã hóa (chỉ để thử nghiệm trên một máy)
        #[arg(long)]
        insecure_http: bool,
    },
}

// Figures of a period, and invented data for training offices.
#[derive(Subcommand)]
pub enum ReportCommand {
    /// Số liệu giải quyết TTHC của một kỳ (Biểu 06, chỉ số Quyết định 766)
    Report {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// Ghi bảng ra tệp .xlsx
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Ghi bảng ra tệp .pdf
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// Tạo dữ liệu mẫu (chỉ trong cơ quan dùng thử) qua đúng các thao tác của công chức
    DemoData {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        #[arg(long)]
        dossiers: u64,
        /// Tỷ lệ hồ sơ có kết quả quá hạn (0–1)
        #[arg(long, default_value_t = 0.05)]
        late_share: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Số sự kiện chờ gửi, bị từ chối, lần đồng bộ thành công gần nhất, con trỏ
    Status,
    /// Nhật ký đồng bộ (mỗi giai đoạn một dòng)
    Log {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Danh sách cần xử lý: sự kiện tỉnh từ chối, thông tin tỉnh gửi chưa áp dụng được
    Attention,
    /// Gửi lại các sự kiện bị từ chối ở lần đồng bộ sau
    RetryRejected,
    /// Giờ đồng bộ cuối ngày (HH:MM)
    DayEnd { at: String },
}

/// The unit's parent body and contacts (for `office set`, "" clears one).
#[derive(Args)]
pub struct OfficeContactArgs {
    /// Tên cơ quan chủ quản, in phía trên tên đơn vị (vd. "Ủy ban nhân dân xã Trùng Khánh")
    #[arg(long, value_name = "NAME")]
    pub parent_name: Option<String>,
    /// Số điện thoại của đơn vị (in trên phiếu yêu cầu bổ sung)
    #[arg(long)]
    pub phone: Option<String>,
    /// Thư điện tử của đơn vị
    #[arg(long)]
    pub email: Option<String>,
    /// Địa chỉ trụ sở của đơn vị (in ở mục 6 của giấy tiếp nhận)
    #[arg(long)]
    pub address: Option<String>,
}

#[derive(Args)]
pub struct InitArgs {
    /// Tên đơn vị tiếp nhận, in đậm ở đầu phiếu (vd. "Trung tâm Phục vụ hành chính công xã Trùng Khánh")
    #[arg(long)]
    pub office_name: String,
    #[command(flatten)]
    pub contact: OfficeContactArgs,
    #[arg(long)]
    pub agency_code: String,
    #[arg(long)]
    pub place: String,
    #[arg(long)]
    pub counter: i64,
    /// Tên đăng nhập của quản trị viên đầu tiên (mật khẩu lấy từ MOTCUA_PASSWORD, hoặc hỏi)
    #[arg(long, value_name = "LOGIN")]
    pub admin: String,
    /// Họ và tên của quản trị viên đầu tiên
    #[arg(long, value_name = "NAME")]
    pub admin_name: String,
    /// Ghi tờ khóa khôi phục (PDF, để in rồi cất) vào tệp này
    #[arg(long, value_name = "FILE")]
    pub recovery_sheet: Option<std::path::PathBuf>,
    /// Tên công chức tiếp nhận in sẵn (không bắt buộc; người tiếp nhận là tài khoản đăng nhập)
    #[arg(long)]
    pub clerk: Vec<String>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub morning: Option<String>,
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub afternoon: Option<String>,
    /// Quầy tiếp nhận cả sáng thứ Bảy
    #[arg(long)]
    pub saturday_morning: bool,
    /// Giờ chốt của thủ tục giải quyết trong ngày (mặc định 15:00)
    #[arg(long, value_name = "HH:MM")]
    pub same_day_cutoff: Option<String>,
    /// Cơ quan dùng thử để đào tạo, trình diễn: mọi phiếu in có dòng "BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ",
    /// không bao giờ đồng bộ với tỉnh, được dùng --now
    #[arg(long)]
    pub training: bool,
}

#[derive(Subcommand)]
pub enum CatalogCommand {
    List,
    Show {
        code: String,
    },
    Import {
        file: PathBuf,
        /// Thay toàn bộ danh mục (mặc định: bổ sung, thay các thủ tục trùng mã)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
pub enum IdQrCommand {
    Parse { string: String },
}

#[derive(Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("rule").required(true).multiple(false)))]
pub struct DueArgs {
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
    pub received: String,
    #[arg(long, group = "rule")]
    pub working_days: Option<u32>,
    #[arg(long, group = "rule")]
    pub calendar_days: Option<u32>,
    #[arg(long, group = "rule")]
    pub hours: Option<u32>,
    #[arg(long, group = "rule")]
    pub same_day: bool,
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    Show {
        year: i32,
    },
    SetOff {
        date: String,
        #[arg(long)]
        reason: String,
    },
    SetWorking {
        date: String,
        #[arg(long)]
        reason: String,
    },
    Unset {
        date: String,
    },
}
