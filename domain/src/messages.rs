//! The core's message catalog: every Vietnamese sentence the core shows a
//! clerk is written here once. (The UI's own labels live in
//! `ui/src/messages.ts`.)

pub fn required(label: &str) -> String {
    format!("Chưa nhập {label}. Hãy nhập {label} rồi lưu lại.")
}

pub fn too_long(label: &str, max: usize, got: usize) -> String {
    format!("{label} quá dài ({got} ký tự). Hãy rút gọn còn tối đa {max} ký tự.")
}

pub fn bad_characters(label: &str, c: char) -> String {
    let shown = if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("“{c}” (U+{:04X})", c as u32)
    };
    format!("{label} có ký tự không hợp lệ {shown}. Hãy xoá ký tự đó và nhập lại bằng bàn phím tiếng Việt.")
}

pub fn bad_date(label: &str, got: &str) -> String {
    format!("{label} “{got}” không đúng dạng ngày. Hãy nhập theo dạng NNNN-TT-NN, ví dụ 1990-05-31.")
}

pub fn bad_datetime(label: &str, got: &str) -> String {
    format!("{label} “{got}” không đúng dạng ngày giờ. Hãy nhập theo dạng NNNN-TT-NNTgg:pp, ví dụ 2026-11-26T09:30.")
}

pub const LABEL_FULL_NAME: &str = "Họ và tên người nộp";
pub const LABEL_ID_NUMBER: &str = "Số định danh cá nhân";
pub const LABEL_DATE_OF_BIRTH: &str = "Ngày sinh";
pub const LABEL_SEX: &str = "Giới tính";
pub const LABEL_PHONE: &str = "Số điện thoại";
pub const LABEL_EMAIL: &str = "Thư điện tử";
pub const LABEL_ADDRESS: &str = "Địa chỉ";
pub const LABEL_DOCUMENT_NAME: &str = "Tên giấy tờ";
pub const LABEL_NOTE: &str = "Ghi chú";
pub const LABEL_OFFICE_NAME: &str = "Tên cơ quan";
pub const LABEL_PLACE: &str = "Địa danh";
pub fn id_birth_year_future(year: i32) -> String {
    format!("Chữ số thứ 4–6 của số định danh cho năm sinh {year}, năm chưa đến: số này bị gõ sai. Hãy đối chiếu lại với thẻ căn cước.")
}

pub const LABEL_DELIVERY_ADDRESS: &str = "Địa chỉ nhận kết quả qua bưu chính";
pub const LABEL_ORGANISATION_NAME: &str = "Tên tổ chức";
pub const LABEL_TAX_CODE: &str = "Mã số thuế";
pub const LABEL_REPRESENTATIVE: &str = "Họ và tên người đại diện";
pub const LABEL_POSITION: &str = "Chức vụ";
pub const LABEL_PASSPORT: &str = "Số hộ chiếu";
pub const LABEL_NATIONALITY: &str = "Quốc tịch";
pub const LABEL_SUBMITTER_NAME: &str = "Họ và tên người nộp thay";
pub const LABEL_RELATION: &str = "Quan hệ với người có yêu cầu";

pub fn result_delivery_value(v: &str) -> String {
    format!("Nơi nhận kết quả \"{v}\" không hợp lệ: chọn \"counter\" (tại quầy), \"post\" (qua bưu chính) hoặc \"online\" (trực tuyến).")
}

pub fn applicant_kind_value(v: &str) -> String {
    format!("Loại người nộp \"{v}\" không hợp lệ: chọn \"citizen\" (công dân), \"organisation\" (tổ chức) hoặc \"foreigner\" (người nước ngoài).")
}

pub fn tax_code_format(v: &str) -> String {
    format!("Mã số thuế \"{v}\" không đúng: gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với đơn vị phụ thuộc. Hãy đối chiếu giấy chứng nhận đăng ký.")
}

pub fn passport_format(v: &str) -> String {
    format!(
        "Số hộ chiếu \"{v}\" không đúng: từ 6 đến 20 chữ cái và chữ số. Hãy đối chiếu trang thông tin của hộ chiếu."
    )
}

pub const LABEL_PARENT_NAME: &str = "Tên cơ quan chủ quản";
pub const LABEL_CLERK: &str = "Tên công chức tiếp nhận";
pub const LABEL_FEE_NAME: &str = "Tên khoản phí, lệ phí";

pub fn fee_count_range(n: usize) -> String {
    format!("Dòng tính phí thứ {n}: số bản từ 1 đến 999 và số trang từ 1 đến 9999. Hãy nhập lại.")
}

pub fn fee_detail_copies(copies: u32) -> String {
    format!("{copies} bản")
}

pub fn fee_detail_pages(copies: u32, pages: u32) -> String {
    format!("{copies} bản × {pages} trang")
}

pub fn id_length(got: usize) -> String {
    format!("Số định danh cá nhân phải có đúng 12 chữ số (đang có {got}). Hãy đối chiếu với thẻ căn cước và nhập lại.")
}

pub const ID_NOT_DIGITS: &str =
    "Số định danh cá nhân chỉ gồm chữ số. Hãy nhập lại đúng 12 chữ số in trên thẻ căn cước.";

pub fn id_province(code: &str) -> String {
    format!("Ba số đầu “{code}” của số định danh không phải mã tỉnh, thành phố nào. Hãy đối chiếu với thẻ căn cước và nhập lại.")
}

pub fn id_birth_year(id_year: i32, dob_year: i32) -> String {
    format!("Số định danh ghi năm sinh {id_year} nhưng ngày sinh đã nhập là năm {dob_year}. Hãy đối chiếu lại thẻ căn cước.")
}

pub fn id_sex(id_sex: &str, given: &str) -> String {
    format!("Số định danh là của người giới tính {id_sex} nhưng giới tính đã chọn là {given}. Hãy đối chiếu lại thẻ căn cước.")
}

pub const SEX_VALUES: &str = "Giới tính phải là “Nam” hoặc “Nữ”. Hãy chọn một trong hai.";

pub fn dob_range(got: &str) -> String {
    format!("Ngày sinh {got} không hợp lý (sau hôm nay hoặc quá 130 năm trước). Hãy đối chiếu giấy tờ và nhập lại.")
}

pub fn phone_format(got: &str) -> String {
    format!("Số điện thoại “{got}” không đúng. Hãy nhập số di động 10 chữ số (ví dụ 0912 345 678), số cố định có mã vùng (ví dụ 0206 3852 123) hoặc dạng +84.")
}

pub fn email_format(got: &str) -> String {
    format!("Thư điện tử “{got}” không đúng dạng (ví dụ ten@example.com). Hãy sửa hoặc để trống.")
}

pub const NO_DOCUMENTS: &str =
    "Chưa có giấy tờ nào trong danh sách thành phần hồ sơ. Hãy đánh dấu các giấy tờ người dân đã nộp.";

pub fn document_count(index: usize, got: i64) -> String {
    format!("Số lượng của giấy tờ thứ {index} là {got}, phải từ 1 đến 99. Hãy nhập lại số bản.")
}

pub fn document_form(got: &str) -> String {
    format!("Hình thức giấy tờ “{got}” không hợp lệ. Hãy chọn: bản chính (original), bản sao (copy), bản sao chứng thực (certified_copy) hoặc xuất trình (present).")
}

pub fn sets_range(got: i64) -> String {
    format!("Số bộ hồ sơ là {got}, phải từ 1 đến 20. Hãy nhập lại.")
}

pub fn channel_value(got: &str) -> String {
    format!("Hình thức nộp “{got}” không hợp lệ. Hãy chọn nộp trực tiếp (counter) hoặc qua bưu chính (post).")
}

pub fn fee_amount(index: usize) -> String {
    format!("Số tiền của khoản phí thứ {index} không hợp lệ (phải là số đồng, không âm, không quá 1 tỷ). Hãy nhập lại.")
}

pub fn procedure_unknown(code: &str) -> String {
    format!("Không có thủ tục mã “{code}” trong danh mục đang dùng. Hãy chọn thủ tục trong danh sách hoặc cập nhật danh mục.")
}

pub const PROCEDURE_MISSING: &str = "Chưa chọn thủ tục hành chính. Hãy chọn thủ tục người dân yêu cầu giải quyết.";

pub fn dossier_unknown(code: &str) -> String {
    format!("Không tìm thấy hồ sơ mã “{code}”. Hãy kiểm tra lại mã in trên giấy tiếp nhận.")
}

pub fn agency_code_format(got: &str) -> String {
    format!("Mã định danh cơ quan “{got}” không đúng dạng. Mã có dạng 000.00.00.H14 (theo QĐ 20/2020/QĐ-TTg); hãy lấy mã đúng từ Văn phòng UBND tỉnh.")
}

pub fn counter_range(got: i64) -> String {
    format!("Số quầy {got} không hợp lệ. Mỗi quầy của một cơ quan có số riêng từ 1 đến 9.")
}

pub fn hours_format(got: &str) -> String {
    format!("Giờ làm việc “{got}” không đúng. Hãy nhập theo dạng 07:00-11:30, buổi chiều sau buổi sáng.")
}

pub fn cutoff_format(got: &str) -> String {
    format!("Giờ chốt nhận hồ sơ giải quyết trong ngày “{got}” không đúng. Hãy nhập dạng HH:MM trong giờ làm việc, ví dụ 15:00.")
}

pub fn same_day_rule(cutoff: &str) -> String {
    format!("Trong ngày (nhận sau {cutoff} thì trả trong ngày làm việc tiếp theo)")
}

pub const NOT_INITIALISED: &str =
    "Máy này chưa được thiết lập cơ quan và quầy. Hãy chạy “motcua init” hoặc điền màn hình thiết lập lần đầu.";

pub const ALREADY_INITIALISED: &str =
    "Thư mục dữ liệu này đã được thiết lập cho một cơ quan. Hãy sửa trong màn hình Cài đặt, hoặc dùng thư mục dữ liệu khác.";

pub fn schema_too_new(found: i64, known: i64) -> String {
    format!("Dữ liệu được ghi bởi phiên bản motcua mới hơn (lược đồ {found}, phiên bản này chỉ biết đến {known}). Hãy cài phiên bản motcua mới nhất; không mở dữ liệu này bằng bản cũ.")
}

pub fn code_block_full(counter: u32) -> String {
    format!("Quầy số {counter} đã cấp hết 999 mã hồ sơ của hôm nay. Hãy tiếp nhận tiếp tại quầy khác hoặc báo quản trị viên.")
}

pub fn id_qr_fields(got: usize) -> String {
    format!("Chuỗi mã QR trên thẻ căn cước có {got} trường, cần 6 hoặc 7 trường cách nhau bởi dấu “|”. Hãy quét lại mã QR ở mặt trước thẻ.")
}

pub fn id_qr_date(label: &str, got: &str) -> String {
    format!("{label} “{got}” trong mã QR không đúng dạng ngàythángnăm (8 chữ số). Hãy quét lại mã QR.")
}

pub fn catalog_json(line: usize, column: usize, detail: &str) -> String {
    format!("Tệp danh mục sai cú pháp JSON ở dòng {line}, cột {column}: {detail}. Hãy sửa tệp rồi nhập lại.")
}

pub fn catalog_entry(line: usize, code: &str, detail: &str) -> String {
    format!("Dòng {line} (thủ tục “{code}”): {detail}")
}

pub fn catalog_code_format(got: &str) -> String {
    format!("mã thủ tục “{got}” không đúng dạng (ví dụ 1.001193 hoặc 2.000815.000.00.00.H55)")
}

pub fn catalog_duplicate(code: &str) -> String {
    format!("mã thủ tục “{code}” xuất hiện hai lần trong tệp")
}

pub const CATALOG_EMPTY: &str = "Tệp danh mục không có thủ tục nào. Hãy kiểm tra lại tệp.";

pub const CATALOG_NAME: &str = "thiếu tên thủ tục";
pub const CATALOG_FIELD: &str = "thiếu lĩnh vực";
pub const CATALOG_TIME: &str =
    "thời hạn giải quyết không hợp lệ (đơn vị: working_days, calendar_days, hours, same_day; số lượng 0–365)";
pub const CATALOG_DOCS: &str =
    "giấy tờ trong thành phần hồ sơ thiếu tên, hình thức không hợp lệ hoặc số lượng ngoài 1–99";
pub const CATALOG_FEES: &str = "khoản phí, lệ phí thiếu tên hoặc số tiền âm";

pub fn font_missing_glyph(font: &str, c: char) -> String {
    format!("Phông chữ {font} thiếu chữ “{c}”: phiếu in ra sẽ mất dấu tiếng Việt. Hãy cài lại motcua (phông Liberation Serif 2 đi kèm).")
}

pub fn printer_failed(printer: &str, detail: &str) -> String {
    format!("Không gửi được lệnh in tới máy in “{printer}”: {detail}. Hãy kiểm tra máy in đã bật và có giấy, rồi in lại; bản PDF đã được lưu.")
}

pub fn print_system_missing(detail: &str) -> String {
    format!("Máy tính này chưa có hệ thống in (CUPS) nên không liệt kê được máy in ({detail}). Hãy cài gói cups rồi mở lại; trong lúc đó vẫn lưu được PDF để in sau.")
}

pub fn print_system_unavailable(detail: &str) -> String {
    format!("Không hỏi được hệ thống in danh sách máy in ({detail}). Hãy kiểm tra dịch vụ in (CUPS) đang chạy; trong lúc đó vẫn lưu được PDF để in sau.")
}

pub const NO_PRINTER: &str = "Chưa chọn máy in. Hãy chọn máy in trong Cài đặt, hoặc lưu PDF để in sau.";

pub fn copies_range(got: u32) -> String {
    format!("Số liên {got} không hợp lệ; phiếu in 1 hoặc 2 liên.")
}

pub fn print_unsupported_platform() -> String {
    "Máy tính này chưa hỗ trợ gửi lệnh in trực tiếp. Hãy mở tệp PDF đã lưu và in bằng chương trình đọc PDF.".to_string()
}

pub fn clerk_unknown(name: &str) -> String {
    format!("“{name}” không có trong danh sách công chức của quầy. Hãy thêm tên trong Cài đặt trước.")
}

pub const ALREADY_RECEIVED: &str = "Hồ sơ này đã được tiếp nhận; không thể tiếp nhận lại cùng một hồ sơ.";

pub const NO_CATALOG: &str =
    "Chưa có danh mục thủ tục. Hãy chạy “motcua init” hoặc nhập danh mục bằng “motcua catalog import”.";

pub fn corrupt_row(detail: &str) -> String {
    format!("Dữ liệu trong cơ sở dữ liệu bị hỏng ({detail}). Hãy khôi phục từ bản sao lưu hoặc báo quản trị viên.")
}

pub fn form_texts_broken(form: &str, detail: &str) -> String {
    format!("Tệp chữ của mẫu {form} bị hỏng ({detail}). Hãy cài lại motcua.")
}

pub const FONT_UNREADABLE: &str = "Không đọc được phông chữ đi kèm. Hãy cài lại motcua.";

pub fn qr_failed(detail: &str) -> String {
    format!("Không tạo được mã QR ({detail}). Hãy kiểm tra lại mã hồ sơ rồi in lại.")
}

pub fn lp_missing(detail: &str) -> String {
    format!("không chạy được lệnh lp ({detail}); hãy cài gói cups-client")
}

pub const ID_QR_OLD_ID: &str = "Số CMND cũ trong mã QR không phải 9 hoặc 12 chữ số. Hãy quét lại mã QR.";
pub const LABEL_ISSUED_ON: &str = "Ngày cấp";
pub const LABEL_REASON: &str = "Lý do";
pub const LABEL_DATE: &str = "Ngày";
pub const LABEL_RECEIVED_AT: &str = "Thời điểm nhận";
pub const SYNC_NOT_CONFIGURED: &str = "Chưa cấu hình đồng bộ với tỉnh";
pub const SYNC_ENROLLED: &str = "Đã đăng ký đồng bộ với tỉnh";
pub const DAY_END_INVALID: &str = "Giờ đồng bộ cuối ngày phải có dạng HH:MM, ví dụ 16:30.";

pub const EXTENSION_NOT_LATER: &str = "Ngày hẹn mới phải sau ngày hẹn hiện tại. Hãy chọn lại ngày hẹn trả.";
pub const EXTENSION_DAY_OFF: &str = "Ngày hẹn mới là ngày nghỉ. Hãy chọn một ngày làm việc.";

pub fn input_json(line: usize, column: usize, detail: &str) -> String {
    format!("Tệp hồ sơ không đúng JSON ở dòng {line}, cột {column}: {detail}. Hãy sửa tệp rồi chạy lại.")
}

pub fn form_label(form: crate::forms::Form) -> &'static str {
    use crate::forms::Form::*;
    match form {
        Receipt => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        Supplement => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        Refusal => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        Extension => "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
        Stop => "Thông báo dừng giải quyết hồ sơ",
        Control => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        Return => "Phiếu trả kết quả giải quyết hồ sơ",
    }
}

pub fn form_document_title(form: crate::forms::Form, code: &str) -> String {
    format!("{} {code}", form_label(form))
}

pub fn printed_summary(form: crate::forms::Form, code: &str, pages: u32, archived: &str) -> String {
    format!("Đã lưu {} {code} ({pages} trang): {archived}", form_label(form))
}

pub fn out_is_folder(path: &str) -> String {
    format!("“{path}” là một thư mục. Hãy ghi đường dẫn tới một tệp, ví dụ {path}/giay-hen.pdf.")
}

pub fn no_office_in(dir: &str) -> String {
    format!("Thư mục {dir} không có dữ liệu cơ quan nào (chưa thiết lập). Hãy kiểm tra lại --data-dir hoặc MOTCUA_DATA_DIR; nếu đây là máy mới, hãy thiết lập bằng «motcua init».")
}

pub fn xlsx_failed(detail: &str) -> String {
    format!("Không tạo được tệp Excel ({detail}). Hãy thử lại hoặc xuất bản PDF.")
}

pub fn book_extension(got: &str) -> String {
    format!("Tệp sổ “{got}” phải có đuôi .pdf hoặc .xlsx. Hãy đặt lại tên tệp.")
}

pub const BOOK_RANGE: &str = "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc. Hãy chọn lại khoảng thời gian.";

pub fn form_unknown(got: &str) -> String {
    format!("Không có mẫu phiếu “{got}”. Hãy chọn: receipt, supplement, refusal, extension, stop, control, return.")
}

pub fn form_not_applicable(form: &str, status: crate::dossier::Status) -> String {
    format!("Chưa thể in “{form}”: hồ sơ đang ở trạng thái “{}”, chưa có bước tương ứng. Hãy ghi nhận bước xử lý trước rồi in.", status_label(status))
}

pub const NOT_RECEIVED: &str = "Hồ sơ chưa được tiếp nhận nên chưa thể ghi bước xử lý nào.";
pub const SECOND_SUPPLEMENT: &str = "Hồ sơ đã được yêu cầu bổ sung một lần. Theo Nghị định 118/2025/NĐ-CP chỉ yêu cầu bổ sung một lần, đầy đủ; hãy xử lý theo kết quả lần bổ sung đó.";
pub const SECOND_EXTENSION: &str =
    "Hồ sơ đã được gia hạn một lần. Ngày hẹn trả chỉ được điều chỉnh một lần; hãy báo lãnh đạo để xử lý.";

pub fn status_label(s: crate::dossier::Status) -> &'static str {
    use crate::dossier::Status::*;
    match s {
        Received => "Đã tiếp nhận",
        NotAccepted => "Từ chối tiếp nhận",
        Processing => "Đang giải quyết",
        SupplementRequested => "Yêu cầu bổ sung",
        FinancialObligation => "Chờ thực hiện nghĩa vụ tài chính",
        Withdrawn => "Công dân rút hồ sơ",
        Stopped => "Dừng giải quyết",
        Processed => "Đã có kết quả",
        Returned => "Đã trả kết quả",
    }
}

pub fn action_label(a: crate::dossier::Action) -> &'static str {
    use crate::dossier::Action::*;
    match a {
        Handover => "bàn giao hồ sơ",
        Supplement => "yêu cầu bổ sung hồ sơ",
        SupplementComplete => "nhận hồ sơ bổ sung",
        Refuse => "từ chối giải quyết",
        Extend => "gia hạn, hẹn lại ngày trả",
        Withdraw => "dừng giải quyết theo đề nghị của công dân",
        FinancialObligation => "yêu cầu thực hiện nghĩa vụ tài chính",
        FinancialObligationMet => "ghi nhận đã thực hiện nghĩa vụ tài chính",
        Result => "ghi nhận đã có kết quả",
        Return => "trả kết quả",
        CloseUnsupplemented => "kết thúc hồ sơ quá hạn bổ sung",
        CorrectResult => "ghi nhận yêu cầu đính chính kết quả",
        CorrectionDone => "ghi nhận đã đính chính kết quả",
    }
}

pub fn illegal_transition(status: crate::dossier::Status, action: crate::dossier::Action) -> String {
    format!(
        "Hồ sơ đang ở trạng thái “{}” nên không thể {}. Hãy xem các thao tác được phép trên trang hồ sơ.",
        status_label(status),
        action_label(action)
    )
}

/// What an event records, as the dossier's history shows it.
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "received" => "Tiếp nhận hồ sơ",
        "handed_over" => "Bàn giao hồ sơ",
        "supplement_requested" => "Yêu cầu bổ sung hồ sơ",
        "supplement_completed" => "Nhận đủ hồ sơ bổ sung (tính lại thời hạn)",
        "refused" => "Từ chối tiếp nhận hồ sơ",
        "refused_after_acceptance" => "Từ chối giải quyết hồ sơ đã tiếp nhận (dừng xử lý)",
        "extended" => "Xin lỗi và hẹn lại ngày trả",
        "withdrawn" => "Dừng giải quyết theo đề nghị của công dân",
        "financial_obligation_requested" => "Yêu cầu thực hiện nghĩa vụ tài chính",
        "financial_obligation_met" => "Đã thực hiện nghĩa vụ tài chính",
        "result_ready" => "Đã có kết quả",
        "result_returned" => "Đã trả kết quả",
        "closed_unsupplemented" => "Kết thúc do quá hạn bổ sung",
        "correction_requested" => "Yêu cầu đính chính kết quả",
        "result_corrected" => "Đã đính chính kết quả",
        "office" => "Thay đổi thiết lập của quầy",
        _ => "Sự kiện khác",
    }
}

/// Short names of the channels, for charts and tables.
pub fn channel_short_label(c: crate::dossier::Channel) -> &'static str {
    match c {
        crate::dossier::Channel::Counter => "Trực tiếp",
        crate::dossier::Channel::Online => "Trực tuyến",
        crate::dossier::Channel::Post => "Bưu chính",
    }
}

pub fn timeliness_label(t: crate::dossier::Timeliness) -> &'static str {
    use crate::dossier::Timeliness::*;
    match t {
        Early => "Trước hạn",
        OnTime => "Đúng hạn",
        Late => "Quá hạn",
        PendingInTime => "Đang giải quyết, trong hạn",
        PendingOverdue => "Đang giải quyết, quá hạn",
    }
}

pub const LABEL_NEW_DUE: &str = "Ngày hẹn trả mới";
pub const LABEL_HANDOVER_FROM: &str = "Bên giao";
pub const LABEL_HANDOVER_TO: &str = "Bên nhận";
pub const LABEL_STEP_DUE: &str = "Hạn xử lý của bước";

pub fn step_due_range(today: &str, due: &str) -> String {
    format!("Hạn xử lý của bước phải từ ngày {today} đến ngày hẹn trả {due}. Hãy chọn một ngày trong khoảng đó, hoặc để trống.")
}
pub const LABEL_RESULT_NUMBER: &str = "Số văn bản kết quả";
pub const LABEL_RESULT_ISSUER: &str = "Cơ quan ban hành kết quả";

pub fn late_extension(due: &str) -> String {
    format!("Lưu ý: văn bản xin lỗi và hẹn lại phải gửi chậm nhất 01 ngày làm việc trước hạn ({due}) — Nghị định 118/2025/NĐ-CP, Điều 19. Lần gia hạn này muộn hơn mức đó: người dân vẫn nhận giấy hẹn mới, nhưng hồ sơ vẫn được đánh giá theo hạn cũ (quá hạn nếu kết thúc sau hạn đó). Hãy báo lãnh đạo.")
}

pub fn late_supplement_request(due: &str) -> String {
    format!("Lưu ý: yêu cầu bổ sung chỉ dừng thời hạn giải quyết khi được gửi trong 03 ngày làm việc kể từ ngày tiếp nhận và trước hạn ({due}) — Nghị định 118/2025/NĐ-CP, Điều 16, 19. Yêu cầu này muộn hơn mức đó: người dân vẫn nhận phiếu yêu cầu bổ sung và giấy hẹn mới, nhưng hồ sơ vẫn được đánh giá theo hạn cũ. Hãy báo lãnh đạo.")
}

pub fn flag_label(f: crate::dossier::Flag) -> &'static str {
    use crate::dossier::Flag::*;
    match f {
        LateExtension => "Gia hạn muộn (đánh giá theo hạn cũ)",
        LateSupplementRequest => "Yêu cầu bổ sung muộn (đánh giá theo hạn cũ)",
        ClockSuspect => "Nghi ngờ đồng hồ máy tính sai",
    }
}

pub const ISSUED_ON_FUTURE: &str =
    "Ngày ban hành kết quả không thể sau hôm nay. Hãy kiểm tra lại ngày trên văn bản kết quả.";
pub const EVENT_NOT_CLEAN: &str =
    "Sự kiện có nội dung không hợp lệ (trống, sai định dạng hoặc chưa chuẩn hóa). Hãy ghi nhận lại bước này trên chương trình.";

pub fn bad_event_time(got: &str) -> String {
    format!("Thời điểm “{got}” của sự kiện không đúng định dạng RFC 3339. Hãy ghi nhận lại bước này trên chương trình.")
}

pub fn due_before_event(due: &str) -> String {
    format!("Hạn “{due}” trong sự kiện sớm hơn chính thời điểm ghi nhận. Hãy ghi nhận lại bước này trên chương trình.")
}

pub fn extension_base_mismatch(due: &str) -> String {
    format!("Gia hạn phải tính từ ngày hẹn trả hiện tại của hồ sơ ({due}). Hãy mở lại hồ sơ rồi gia hạn.")
}

pub fn supplement_wait_not_over(waited: i64, limit: i64) -> String {
    format!("Hồ sơ mới chờ bổ sung {waited} ngày; chỉ kết thúc được khi quá {limit} ngày mà người dân không bổ sung. Hãy chờ hoặc liên hệ người nộp.")
}

pub fn closed_unsupplemented(limit: i64) -> String {
    format!("Quá {limit} ngày kể từ khi yêu cầu bổ sung mà người nộp không bổ sung hồ sơ")
}

pub const SEARCH_EMPTY: &str = "Hãy nhập mã hồ sơ, họ tên, số định danh hoặc số điện thoại để tìm.";

// ---- sync with the province ------------------------------------------------

pub const HUB_URL_INVALID: &str =
    "Địa chỉ máy chủ tỉnh phải có dạng https://tên-máy-chủ, ví dụ https://motcua.caobang.gov.vn. Hãy kiểm tra lại với quản trị viên tỉnh.";
pub const HUB_URL_INSECURE: &str =
    "Máy chủ tỉnh phải dùng kết nối mã hóa: địa chỉ bắt đầu bằng https://, không phải http://. Hãy hỏi quản trị viên tỉnh địa chỉ https:// rồi đăng ký lại (http:// chỉ dùng khi thử nghiệm, với --insecure-http).";
pub fn answer_too_large(limit_mib: usize) -> String {
    format!("Câu trả lời của máy chủ tỉnh lớn hơn {limit_mib} MiB nên quầy không đọc. Hãy báo quản trị viên tỉnh.")
}
pub const ENROLL_CODE_MISSING: &str = "Hãy nhập mã đăng ký một lần do quản trị viên tỉnh cấp cho quầy này.";
pub const TRAINING_NO_SYNC: &str = "Đây là cơ quan dùng thử (đào tạo): không bao giờ đồng bộ với máy chủ tỉnh thật.";
pub const NOT_ENROLLED: &str =
    "Quầy này chưa đăng ký với máy chủ tỉnh. Vào Cài đặt → Đồng bộ, nhập địa chỉ máy chủ và mã đăng ký một lần do quản trị viên tỉnh cấp.";
pub fn audit_ok(events: i64) -> String {
    format!("Nhật ký nguyên vẹn: {events} sự kiện khớp mã băm, chuỗi liền mạch, mọi dòng hồ sơ đúng với các sự kiện của nó.")
}

/// What a finding of `audit verify` means for the admin.
pub fn audit_bad(reason: &str, seq: Option<i64>, id: &str) -> String {
    let at = seq
        .map(|s| format!("sự kiện số {s} ({id})"))
        .unwrap_or_else(|| format!("hồ sơ {id}"));
    let what = match reason {
        "edited" => "nội dung đã bị sửa sau khi ghi (không còn khớp mã băm)",
        "broken_link" => "chuỗi bị đứt: một sự kiện trước nó đã bị xóa, chèn thêm hoặc đổi chỗ",
        "missing_hash" => "thiếu mã băm",
        "row_differs" => "dòng hồ sơ khác với kết quả các sự kiện của nó (bảng hồ sơ đã bị sửa)",
        "row_without_events" => "có dòng hồ sơ nhưng không có sự kiện nào",
        "row_missing" => "có sự kiện nhưng dòng hồ sơ đã mất",
        "events_refused" => "các sự kiện của hồ sơ không còn hợp lệ theo quy tắc",
        _ => "sai lệch",
    };
    format!("NHẬT KÝ BỊ SỬA ĐỔI tại {at}: {what}. Không xóa gì; hãy báo quản trị viên và đối chiếu với máy chủ tỉnh.")
}

pub fn audit_rebuilt(rows: i64, refused: usize) -> String {
    format!("Đã dựng lại {rows} dòng hồ sơ từ các sự kiện; {refused} hồ sơ có sự kiện không hợp lệ được giữ nguyên.")
}

/// Why the hub refused an event as a break of its PC's chain.
pub fn chain_broken(reason: &str) -> String {
    let what = match reason {
        "missing" => "sự kiện không có mã băm",
        "altered" => "nội dung sự kiện không khớp mã băm của nó",
        "gap" => "sự kiện không nối tiếp sự kiện cuối cùng máy này đã gửi (có sự kiện bị xóa, chèn hoặc đổi chỗ)",
        "rewritten" => "máy chủ tỉnh đã nhận sự kiện này với nội dung khác: lịch sử trên máy đã bị viết lại",
        _ => "chuỗi sự kiện bị đứt",
    };
    format!("Máy chủ tỉnh từ chối vì nhật ký của máy này không liền mạch: {what}. Không gửi tiếp được các sự kiện sau nó; hãy báo quản trị viên tỉnh.")
}

pub const EVENT_OF_ANOTHER_DEVICE: &str =
    "Sự kiện ghi tên một máy khác với máy đang gửi. Mỗi máy chỉ gửi sự kiện của chính mình.";

// ---- accounts and signing in ------------------------------------------------

pub const LABEL_ACCOUNT_NAME: &str = "Họ và tên người dùng";
pub const PASSWORD_TOO_SHORT: &str = "Mật khẩu phải có ít nhất 8 ký tự. Hãy chọn mật khẩu dài hơn.";
pub const ROLE_MISSING: &str = "Hãy chọn vai trò: clerk (công chức một cửa), leader (lãnh đạo) hoặc admin (quản trị).";
pub const PASSWORD_MISSING: &str =
    "Chưa có mật khẩu: hãy đặt biến MOTCUA_PASSWORD, hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập mật khẩu.";
pub const NEW_PASSWORD_MISSING: &str =
    "Chưa có mật khẩu mới: hãy đặt biến MOTCUA_NEW_PASSWORD, hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập.";
pub const PASSWORDS_DIFFER: &str = "Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại.";
pub const USER_MISSING: &str =
    "Chưa đăng nhập: hãy ghi tên đăng nhập bằng --user (hoặc biến MOTCUA_USER) và mật khẩu bằng MOTCUA_PASSWORD.";
pub const SIGN_IN_FAILED: &str =
    "Tên đăng nhập hoặc mật khẩu không đúng. Hãy thử lại; sai 5 lần liền tài khoản sẽ bị khóa 15 phút.";
pub const ACCOUNT_DISABLED: &str = "Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ quản trị viên của xã.";
pub const NOT_SIGNED_IN: &str = "Chưa đăng nhập. Hãy đăng nhập bằng tài khoản của mình.";
pub const LAST_ADMIN: &str =
    "Đây là quản trị viên cuối cùng còn hoạt động: không thể vô hiệu hóa hay bỏ quyền quản trị. Hãy tạo quản trị viên khác trước.";

pub fn account_locked(until: &str) -> String {
    format!(
        "Tài khoản đang bị khóa đến {until} vì nhập sai mật khẩu quá 5 lần. Hãy chờ hoặc nhờ quản trị viên mở khóa."
    )
}

pub fn clerk_not_signed_in(named: &str, signed_in: &str) -> String {
    format!("Người tiếp nhận là người đang đăng nhập ({signed_in}), không phải “{named}”. Hãy đăng nhập bằng tài khoản của người tiếp nhận.")
}

pub fn role_unknown(got: &str) -> String {
    format!("Không có vai trò “{got}”. Hãy chọn clerk, leader hoặc admin.")
}

pub fn role_label(r: crate::accounts::Role) -> &'static str {
    use crate::accounts::Role::*;
    match r {
        Clerk => "Công chức một cửa",
        Leader => "Lãnh đạo",
        Admin => "Quản trị viên",
    }
}

pub fn login_invalid(got: &str) -> String {
    format!("Tên đăng nhập “{got}” không hợp lệ: 2–32 ký tự, chỉ chữ thường không dấu, số và . _ -. Ví dụ: lan.nt")
}

pub fn login_taken(login: &str) -> String {
    format!("Đã có tài khoản “{login}”. Hãy chọn tên đăng nhập khác.")
}

pub fn user_unknown(login: &str) -> String {
    format!("Không có tài khoản “{login}”. Xem danh sách bằng «motcua user list».")
}

pub fn forbidden(role_needed: crate::accounts::Role) -> String {
    format!("Tài khoản của bạn không có quyền làm việc này (cần vai trò «{}»). Hãy nhờ người có quyền, hoặc quản trị viên cấp quyền.", role_label(role_needed))
}

pub const IDENTITY_LOCKED: &str = "Không thể đổi mã cơ quan hay số quầy: máy này đã cấp mã hồ sơ hoặc đã đăng ký với máy chủ tỉnh. Một quầy mới là một thư mục dữ liệu mới và một lần đăng ký mới.";
pub const NO_ACCOUNTS_YET: &str = "Quầy này được thiết lập trước khi có tài khoản và chưa có tài khoản nào. \
Hãy tạo quản trị viên đầu tiên: motcua user add --login TÊN --name \"HỌ TÊN\" --role admin \
(mật khẩu lấy từ MOTCUA_NEW_PASSWORD hoặc được hỏi).";
pub const DATA_KEY_WRONG: &str =
    "Khóa này không mở được dữ liệu của quầy (sai khóa, hoặc tệp không phải cơ sở dữ liệu của motcua). \
Hãy kiểm tra lại khóa khôi phục hoặc thư mục dữ liệu.";
pub const RECOVERY_KEY_INVALID: &str =
    "Khóa khôi phục gồm 64 chữ số hệ 16 (0–9, a–f), như trên phiếu in lúc thiết lập. Hãy nhập lại.";
pub const SEALED_UNREADABLE: &str =
    "Tệp đã mã hóa không mở được bằng khóa của quầy này (tệp bị sửa hoặc của quầy khác).";
pub fn keys_unreadable(why: &str) -> String {
    format!("Tệp khóa keys.json trong thư mục dữ liệu bị hỏng ({why}). Hãy dùng khóa khôi phục: motcua recover --recovery-key … --login …")
}
/// The recovery key as the clerk copies it: in groups of 4, with what it is for.
pub fn recovery_sheet(key: &str) -> String {
    let groups: Vec<&str> = key
        .as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!(
        "KHÓA KHÔI PHỤC DỮ LIỆU (chỉ hiện một lần — hãy chép hoặc in, cất nơi an toàn, không để ở quầy):\n\n    {}\n    {}\n\n\
Khi mọi quản trị viên đều quên mật khẩu: motcua recover --recovery-key <khóa> --login <tên quản trị>. \
Ai có khóa này đọc được toàn bộ dữ liệu của quầy.",
        groups[..groups.len().min(8)].join(" "),
        groups.get(8..).map(|g| g.join(" ")).unwrap_or_default()
    )
}
pub const RECOVERY_SHEET_TITLE: &str = "TỜ KHÓA KHÔI PHỤC DỮ LIỆU";
pub fn recovery_sheet_office(agency: &str, counter: u32) -> String {
    format!("Mã cơ quan {agency} — Quầy {counter}")
}
pub fn recovery_sheet_made(at: &str) -> String {
    format!("Lập lúc {at}, khi thiết lập dữ liệu của quầy")
}
/// What the sheet tells whoever holds it.
pub const RECOVERY_SHEET_RULES: [&str; 5] = [
    "Đây là khóa mã hóa toàn bộ dữ liệu hồ sơ của quầy. Ai có khóa này đọc được mọi hồ sơ, kể cả họ tên, số định danh và địa chỉ công dân.",
    "Cất tờ này trong phong bì dán kín, nơi có khóa (két của cơ quan), do lãnh đạo giữ; không để ở quầy, không chụp ảnh, không gửi qua mạng.",
    "Chỉ dùng khi mọi quản trị viên đều quên mật khẩu, hoặc tệp keys.json bị mất: motcua recover --recovery-key <khóa> --login <tên quản trị>. Việc dùng khóa được ghi vào nhật ký.",
    "Khóa cũng mở các bản sao lưu của quầy: motcua restore --from <tệp .mcbak> --recovery-key <khóa>.",
    "Nhập khóa đúng 64 ký tự (0–9, a–f); khoảng trắng giữa các nhóm không tính. Mã QR ở trên chứa đúng khóa này.",
];
pub const RECOVERY_SHEET_KEPT_BY: &str = "Người giữ";
pub const RECOVERY_SHEET_WITNESS: &str = "Lãnh đạo xác nhận";
pub const SIGN_AND_NAME: &str = "(Ký, ghi rõ họ tên)";
pub fn recovery_sheet_written(path: &str) -> String {
    format!("Đã ghi tờ khóa khôi phục vào {path}. In ra, cất nơi an toàn, rồi xóa tệp này.")
}
pub const NO_PRINTER_FOR_SHEET: &str =
    "Máy này chưa có máy in nào. Hãy chép tay khóa trên màn hình (từng nhóm 4 ký tự), hoặc cài máy in rồi bấm in lại.";
pub const RECOVERY_KEY_NOT_THIS: &str = "Khóa này không phải khóa của dữ liệu đang mở.";
pub fn recovered(who: &str) -> String {
    format!("Đã mở dữ liệu bằng khóa khôi phục và đặt mật khẩu mới cho {who}. Từ nay đăng nhập bằng mật khẩu mới.")
}
pub const AUTOMATIC_BACKUP: &str = "Sao lưu tự động";
pub const RECOVERY_ACTOR: &str = "Khóa khôi phục";
pub const BACKUP_UNREADABLE: &str =
    "Tệp này không phải bản sao lưu của motcua (hoặc bị cắt dở). Hãy chọn đúng tệp .mcbak.";
pub const BACKUP_NEEDS_SEAL: &str =
    "Dữ liệu chưa được mã hóa: hãy tạo quản trị viên đầu tiên (việc này mã hóa dữ liệu) rồi sao lưu.";
pub const RESTORE_NOT_EMPTY: &str =
    "Chỉ khôi phục vào một thư mục dữ liệu trống (không có motcua.sqlite3, keys.json). \
Hãy chọn thư mục khác bằng --data-dir; không ghi đè dữ liệu đang có.";
pub fn backup_dir_missing(dir: &str) -> String {
    format!("Không thấy thư mục “{dir}” (ổ USB đã cắm chưa?). Hãy chọn một thư mục có sẵn, hoặc để trống.")
}
pub fn backup_corrupt(detail: &str) -> String {
    format!("Bản sao lưu bị hỏng (kiểm tra toàn vẹn: {detail}). Không khôi phục gì; hãy dùng bản sao lưu khác.")
}
pub fn backup_trail_broken(detail: &str) -> String {
    format!("Nhật ký trong bản sao lưu không khớp: {detail} Không khôi phục gì; hãy dùng bản sao lưu khác.")
}
pub fn restored(dossiers: i64, events: i64, was_enrolled: bool, unsent: i64) -> String {
    let mut text = format!("Đã khôi phục {dossiers} hồ sơ, {events} sự kiện. Đã kiểm tra toàn vẹn và nhật ký.");
    if was_enrolled {
        text.push_str(
            " Máy chủ tỉnh có thể giữ những gì máy cũ đã gửi sau lúc sao lưu. Máy này đã nhận mã thiết bị mới: \
hãy xin tỉnh một mã đăng ký mới và đăng ký lại; lần đồng bộ đầu tiên sau đó lấy lại từ máy chủ tỉnh \
các hồ sơ của quầy mà bản sao lưu chưa có và các bước mới của hồ sơ đã có.",
        );
    }
    if unsent > 0 {
        text.push_str(&format!(
            " Bản sao lưu có {unsent} sự kiện chưa gửi lên tỉnh: lần đồng bộ tới sẽ gửi."
        ));
    }
    text
}
pub const BACKUP_NOT_DUE: &str = "Hôm nay đã có bản sao lưu; không sao lưu thêm.";
pub fn backup_made(file: &str, dossiers: i64, events: i64, audit_ok: bool) -> String {
    let mut text = format!("Đã sao lưu {dossiers} hồ sơ, {events} sự kiện vào {file} (đã mã hóa).");
    if !audit_ok {
        text.push_str(
            " CẢNH BÁO: nhật ký chống sửa đổi không khớp — chạy motcua audit verify và báo quản trị viên tỉnh.",
        );
    }
    text
}
pub fn backup_second_dir_set(dir: Option<&str>) -> String {
    match dir {
        Some(d) => format!("Từ nay mỗi bản sao lưu được chép thêm vào {d}."),
        None => "Đã bỏ thư mục sao lưu thứ hai.".to_string(),
    }
}
pub const DATA_LOCKED: &str = "Dữ liệu của quầy được mã hóa: hãy đăng nhập (--user, MOTCUA_PASSWORD) để mở.";
pub const KEYS_MISSING: &str = "Không tìm thấy tệp khóa keys.json bên cạnh cơ sở dữ liệu. \
Hãy chép lại tệp đó, hoặc dùng khóa khôi phục: motcua recover --recovery-key … --login … .";
pub const RECOVER_NOT_ADMIN: &str =
    "Khôi phục chỉ đặt lại mật khẩu cho một tài khoản quản trị (admin). Hãy ghi tên đăng nhập của quản trị viên.";
pub const SEAL_FAILED: &str = "Chưa mã hóa được dữ liệu: bản sao mã hóa không khớp với bản gốc. Không thay đổi gì; hãy thử lại hoặc báo quản trị viên tỉnh.";
pub const IDLE_LOCK_INVALID: &str = "Thời gian tự khóa phải từ 0 (không tự khóa) đến 240 phút. Hãy nhập lại.";
pub const FIRST_ACCOUNT_ADMIN: &str =
    "Quầy này chưa có tài khoản nào: tài khoản đầu tiên phải có vai trò quản trị (admin).";
pub const OFFICE_EVENT_NOT_DOSSIER: &str = "Đây là một thay đổi thiết lập của quầy, không phải một bước xử lý hồ sơ.";

/// One line of the office's own history.
pub fn office_fact(f: &crate::office::OfficeFact) -> String {
    use crate::office::OfficeFact::*;
    let roles = |r: &[crate::accounts::Role]| r.iter().map(|r| role_label(*r)).collect::<Vec<_>>().join(", ");
    match f {
        OfficeSet(o) => format!(
            "Sửa thiết lập cơ quan: {} ({}), quầy {}",
            o.name, o.agency_code, o.counter
        ),
        UserAdded {
            login,
            full_name,
            roles: r,
        } => format!("Thêm tài khoản {login} — {full_name} ({})", roles(r)),
        RolesSet { login, roles: r } => format!("Đổi vai trò của {login}: {}", roles(r)),
        UserDisabled { login } => format!("Vô hiệu hóa tài khoản {login}"),
        UserEnabled { login } => format!("Kích hoạt lại tài khoản {login}"),
        PasswordSet { login } => format!("Đặt mật khẩu mới cho {login}"),
        AccountLocked { login, until } => {
            let until = chrono::DateTime::parse_from_rfc3339(until)
                .map_or_else(|_| until.clone(), |t| crate::vntime::spoken(&t));
            format!("Khóa tài khoản {login} đến {until} (sai mật khẩu 5 lần)")
        }
        AccountUnlocked { login } => format!("Mở khóa tài khoản {login}"),
        CalendarMarked { date, day, reason } => format!(
            "Đặt ngày {} là {}: {reason}",
            crate::vntime::date_vn(*date),
            if day == "working" {
                "ngày làm việc"
            } else {
                "ngày nghỉ"
            }
        ),
        CalendarUnmarked { date } => format!("Bỏ điều chỉnh ngày {}", crate::vntime::date_vn(*date)),
        CatalogImported {
            label,
            version,
            procedures,
        } => {
            format!("Nhập danh mục “{label}”: phiên bản {version}, {procedures} thủ tục")
        }
        FormTextsSet { label, version } => {
            format!("Đặt chữ trên phiếu của cơ quan “{label}”: phiên bản {version}")
        }
        Enrolled {
            hub_url,
            agency_code,
            counter,
        } => {
            format!("Đăng ký đồng bộ với {hub_url} ({agency_code}, quầy {counter})")
        }
        BackupMade {
            file,
            dossiers,
            events,
            audit_ok,
        } => format!(
            "Sao lưu {dossiers} hồ sơ, {events} sự kiện vào {file}{}",
            if *audit_ok {
                ""
            } else {
                " — nhật ký KHÔNG khớp khi sao lưu"
            }
        ),
        Restored { from, dossiers, events } => {
            format!("Khôi phục {dossiers} hồ sơ, {events} sự kiện từ bản sao lưu {from}")
        }
        DeviceRenewed { device_id } => format!("Máy nhận mã thiết bị mới {device_id} (phải đăng ký lại với tỉnh)"),
    }
}

pub const SYNC_INTERRUPTED: &str =
    "Lần đồng bộ bị ngắt giữa chừng. Hồ sơ vẫn được lưu trên máy này; chương trình sẽ tự thử lại, hoặc bấm «Đồng bộ ngay».";
pub const SYNC_BUSY: &str = "Đang đồng bộ; hãy chờ lần này xong.";

pub fn hub_unreachable(detail: &str) -> String {
    format!("Không kết nối được máy chủ tỉnh (mạng đang mất hoặc máy chủ không trả lời). Hồ sơ vẫn được lưu an toàn trên máy này và sẽ gửi khi có mạng. Chi tiết: {detail}")
}

pub fn hub_unavailable(status: u16, detail: &str) -> String {
    format!("Máy chủ tỉnh đang bận hoặc gặp lỗi (HTTP {status}). Chương trình sẽ tự thử lại; hồ sơ vẫn được lưu trên máy này. Chi tiết: {detail}")
}

pub fn sync_auth_refused(code: &str, detail: &str) -> String {
    format!("Máy chủ tỉnh không chấp nhận quầy này ({code}: {detail}). Hãy xin quản trị viên tỉnh một mã đăng ký mới rồi đăng ký lại trong Cài đặt → Đồng bộ.")
}

pub fn sync_request_refused(status: u16, detail: &str) -> String {
    format!("Máy chủ tỉnh từ chối yêu cầu (HTTP {status}): {detail}. Các mục liên quan đã vào danh sách cần xử lý.")
}

pub fn event_too_large(detail: &str) -> String {
    format!("Sự kiện này quá lớn để gửi lên máy chủ tỉnh, kể cả khi gửi riêng (HTTP 413: {detail}). Hồ sơ vẫn được lưu trên máy này; hãy báo quản trị viên tỉnh.")
}

pub fn sync_protocol_mismatch(hub: u32) -> String {
    format!("Máy chủ tỉnh dùng giao thức đồng bộ phiên bản {hub}, khác phiên bản của chương trình này. Hãy cập nhật chương trình motcua.")
}

pub fn clock_skew_warning(skew_seconds: i64) -> String {
    let minutes = (skew_seconds.abs() + 30) / 60;
    let direction = if skew_seconds > 0 { "chậm hơn" } else { "nhanh hơn" };
    format!("Đồng hồ máy tính {direction} giờ máy chủ tỉnh khoảng {minutes} phút. Ngày giờ trên giấy hẹn có thể sai: hãy chỉnh lại đồng hồ máy tính.")
}

pub fn clock_behind_last_event(last: &str) -> String {
    format!("Đồng hồ máy tính đang sớm hơn lần ghi hồ sơ gần nhất trên máy này ({last}): đồng hồ đã bị chỉnh lùi, giấy tờ in ra sẽ mang ngày sai. Chưa ghi nhận gì. Hãy chỉnh lại ngày giờ máy tính cho đúng rồi làm lại.")
}

pub fn enroll_refused(code: &str, detail: &str) -> String {
    format!("Máy chủ tỉnh không chấp nhận mã đăng ký ({code}: {detail}). Hãy kiểm tra mã, hoặc xin quản trị viên tỉnh mã mới.")
}

pub fn enroll_mismatch(got_agency: &str, got_counter: u32, agency: &str, counter: u32) -> String {
    format!("Mã đăng ký này dành cho cơ quan {got_agency}, quầy {got_counter}; máy này là cơ quan {agency}, quầy {counter}. Hãy xin quản trị viên tỉnh đúng mã cho quầy này.")
}

pub fn pulled_dossier_unknown(code: &str) -> String {
    format!("Tỉnh gửi thông tin cho hồ sơ {code} nhưng máy này không có hồ sơ đó. Hãy báo quản trị viên tỉnh.")
}

pub fn pulled_event_unreadable(reason: &str) -> String {
    format!("Không đọc được thông tin tỉnh gửi ({reason}). Hãy cập nhật chương trình hoặc báo quản trị viên tỉnh.")
}

pub fn pulled_event_conflict(reason: &str) -> String {
    format!("Thông tin tỉnh gửi không khớp với trạng thái hồ sơ trên máy này: {reason} Hãy liên hệ bộ phận xử lý ở tỉnh để thống nhất.")
}

pub fn restored_summary(added: i64, completed: i64, completed_events: i64, refused: i64) -> String {
    let mut s = format!("Đã khôi phục {added} hồ sơ của quầy này từ máy chủ tỉnh.");
    if completed > 0 {
        s.push_str(&format!(
            " Bổ sung {completed_events} sự kiện mà máy chủ tỉnh có sau bản sao lưu cho {completed} hồ sơ."
        ));
    }
    if refused > 0 {
        s.push_str(&format!(
            " {refused} hồ sơ không khôi phục được: xem «motcua sync attention»."
        ));
    }
    s
}

pub fn restore_code_taken(code: &str) -> String {
    format!(
        "Không khôi phục được hồ sơ {code} từ máy chủ tỉnh: máy này đã cấp mã đó cho một hồ sơ khác. \
         Hãy báo quản trị viên tỉnh để cấp lại mã cho hồ sơ nhận sau."
    )
}

pub fn pulled_calendar_unreadable(year: i32) -> String {
    format!("Lịch nghỉ năm {year} tỉnh gửi không đúng định dạng; vẫn dùng lịch đang có. Hãy báo quản trị viên tỉnh.")
}

pub fn closing_reminder(pending: i64) -> String {
    format!("Sắp hết giờ làm việc: còn {pending} mục chưa gửi lên tỉnh. Hãy bấm «Đồng bộ ngay» khi có mạng; chương trình sẽ tự gửi khi kết nối lại.")
}

// ---- form texts ----------------------------------------------------------------

pub fn form_set_syntax(detail: &str) -> String {
    format!("Tệp chữ trên phiếu không đọc được ({detail}). Tệp phải có dạng {{\"label\": \"…\", \"forms\": {{\"receipt\": {{\"title\": \"…\"}}}}}}.")
}

pub fn form_set_unknown_form(form: &str) -> String {
    format!("không có phiếu \"{form}\" (các phiếu: common, receipt, supplement, refusal, extension, stop, control, return, book, report)")
}

pub fn form_set_unknown_key(form: &str, key: &str) -> String {
    format!("phiếu \"{form}\" không có mục \"{key}\"")
}

pub fn form_set_bad_text(form: &str, key: &str, max: usize) -> String {
    format!("mục \"{form}.{key}\" phải là chữ, không để trống, không quá {max} ký tự")
}

pub fn form_set_unknown_placeholder(form: &str, key: &str, placeholder: &str) -> String {
    format!("mục \"{form}.{key}\" dùng {{{placeholder}}} mà chương trình không điền (sẽ in nguyên văn)")
}

pub const FORM_SET_NO_LABEL: &str = "thiếu \"label\" (tên bộ chữ, ví dụ \"Mẫu của tỉnh Cao Bằng 2026\")";

pub fn form_set_refused(problems: &[String]) -> String {
    format!(
        "Không nhận bộ chữ trên phiếu này; vẫn dùng bộ đang có. Lý do: {}.",
        problems.join("; ")
    )
}

pub const FORM_TEXTS_SHIPPED_ONLY: &str =
    "Đang dùng bộ chữ trên phiếu của chương trình; tỉnh và cơ quan chưa đặt bộ riêng.";

pub fn form_text_layer(layer: &str, version: i64, label: &str, texts: usize) -> String {
    let whose = if layer == "office" { "Cơ quan" } else { "Tỉnh" };
    format!("{whose}: “{label}”, phiên bản {version}, {texts} mục chữ (đè lên bộ của chương trình)")
}

pub fn pulled_form_texts_unreadable(version: i64, reason: &str) -> String {
    format!("Bộ chữ trên phiếu phiên bản {version} tỉnh gửi không dùng được; vẫn dùng bộ đang có. {reason}")
}

// ---- indicators (Decision 766/QĐ-TTg) ------------------------------------------

/// Name and definition of each indicator, as the app's "Cách tính" page shows them.
pub fn indicator_text(code: &str) -> (&'static str, &'static str) {
    // Names, groups and formulas as the national portal computes the
    // Decision 766/QĐ-TTg index ("Mô tả công thức tính chỉ số 766", the
    // calculation sheet of the Cổng DVCQG's 766 dashboard), then what this
    // program counts and where it differs.
    match code {
        "1.4" => ("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", "Nhóm 1 – Công khai, minh bạch. Cổng DVCQG tính: số hồ sơ đã đồng bộ có ngày tiếp nhận trong kỳ ÷ số hồ sơ tiếp nhận trong kỳ. Quầy đếm phần việc của mình: số hồ sơ tiếp nhận trong kỳ (trực tiếp, bưu chính, trực tuyến) mà máy chủ tỉnh đã xác nhận nhận được ÷ số hồ sơ tiếp nhận trong kỳ; việc chuyển tiếp từ tỉnh lên Cổng DVCQG do máy chủ tỉnh thực hiện. Hồ sơ chưa đồng bộ là hồ sơ người dân chưa tra cứu được trên Cổng."),
        "2.1" => ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "Nhóm 2 – Tiến độ, kết quả giải quyết. Đếm: số hồ sơ đã và đang xử lý đúng hạn hoặc trong hạn ÷ tổng số hồ sơ tiếp nhận, xử lý trong kỳ (kể cả hồ sơ kỳ trước chuyển sang). Hồ sơ đã kết thúc (có kết quả, từ chối, dừng, rút) xét theo thời điểm kết thúc; hồ sơ chưa kết thúc xét tại cuối kỳ: còn trong hạn hay đã quá hạn. Hạn là ngày hẹn sau khi bổ sung đủ (tính lại từ đầu) hoặc sau lần gia hạn được tính; gia hạn, yêu cầu bổ sung muộn không dời hạn; hồ sơ yêu cầu bổ sung quá một lần tính là quá hạn; hồ sơ đang chờ công dân bổ sung theo yêu cầu đúng hạn tính là trong hạn. Khác «Tỷ lệ trước hạn, đúng hạn» của Biểu 06 (chỉ tính hồ sơ đã giải quyết). Từ chối tiếp nhận tại quầy (trạng thái 3) khác từ chối giải quyết sau khi đã tiếp nhận (dừng xử lý, trạng thái 8)."),
        "2.2" => ("Thời gian giải quyết TTHC trung bình", "Nhóm 2 – Tiến độ, kết quả giải quyết. Đếm: trung bình (thời điểm có kết quả − thời điểm tiếp nhận − thời gian công dân bổ sung hồ sơ) của các hồ sơ tiếp nhận trong kỳ đã có kết quả (đã xử lý xong hoặc đã trả), kể cả khi kết quả có sau kỳ; không tính hồ sơ bị từ chối, dừng, rút. Tính bằng ngày làm việc: số giờ mở cửa của các ngày làm việc đã qua (không tính ngày nghỉ, giờ nghỉ trưa) chia cho số giờ mở cửa của một ngày; theo từng thủ tục và chung. Cổng DVCQG chỉ hiển thị theo từng thủ tục, bằng đơn vị thời hạn của thủ tục — với thủ tục tính theo ngày lịch hoặc theo giờ, con số của Cổng khác đơn vị."),
        "3.3" => ("Tỷ lệ hồ sơ TTHC theo hình thức nộp hồ sơ", "Nhóm 3 – Cung cấp dịch vụ trực tuyến. Đếm: số hồ sơ tiếp nhận trong kỳ theo từng kênh (trực tiếp, trực tuyến, bưu chính công ích) ÷ tổng số hồ sơ tiếp nhận trong kỳ; giá trị chính là tỷ lệ nộp trực tuyến. Cổng DVCQG còn nhân tỷ lệ trực tuyến với tỷ lệ đồng bộ (1.4) và chỉ tính hồ sơ trực tuyến có kết quả điện tử khi thủ tục yêu cầu trả kết quả bằng văn bản; chương trình chưa ghi nhận kết quả điện tử nên chưa áp dụng hai điều chỉnh này. Đạt điểm tối đa khi từ 50 % trở lên."),
        "3.6" => ("Tỷ lệ hồ sơ thanh toán trực tuyến", "Nhóm 3 – Cung cấp dịch vụ trực tuyến. Công thức: số hồ sơ được thanh toán trực tuyến (trên Cổng DVCQG hoặc cổng thanh toán của tỉnh) ÷ (số hồ sơ của các thủ tục có phí, lệ phí − số hồ sơ mà mọi khoản phí, lệ phí bằng 0). Chương trình chưa ghi nhận việc nộp phí, lệ phí nên chưa đếm."),
        "4.1" => ("Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử", "Nhóm 4 – Số hóa hồ sơ. Công thức: số hồ sơ có tệp kết quả giải quyết điện tử ÷ số hồ sơ của các thủ tục yêu cầu trả kết quả bằng văn bản, giấy tờ. Chương trình chưa lưu kết quả điện tử nên chưa đếm."),
        "4.2" => ("Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ", "Nhóm 4 – Số hóa hồ sơ. Công thức: số hồ sơ có tệp số hóa thành phần hồ sơ và (khi thủ tục yêu cầu trả kết quả bằng văn bản) có kết quả điện tử ÷ số hồ sơ thuộc thẩm quyền giải quyết. Đạt điểm tối đa khi từ 80 % trở lên. Chương trình chưa lưu tệp số hóa nên chưa đếm."),
        "4.3" => ("Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "Nhóm 4 – Số hóa hồ sơ. Công thức: số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần dùng lại giấy tờ điện tử đã số hóa ÷ số hồ sơ tiếp nhận trong kỳ. Đạt điểm tối đa khi từ 80 % trở lên. Chương trình chưa ghi nhận việc dùng lại dữ liệu số hóa nên chưa đếm."),
        "5.4" => ("Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", "Nhóm 5 – Mức độ hài lòng. Công thức: 100 % − (tỷ lệ hồ sơ giải quyết quá hạn + tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc bị đánh giá không hài lòng). Cần phản ánh, đánh giá của người dân; chương trình chưa ghi nhận nên chưa có số liệu — không thay bằng tỷ lệ quá hạn. Đạt điểm tối đa khi từ 90 % trở lên."),
        _ => ("", ""),
    }
}

pub fn indicator_no_data(code: &str) -> &'static str {
    match code {
        "1.4" => "Chưa có dữ liệu: quầy chưa đăng ký đồng bộ với tỉnh, hoặc không có hồ sơ tiếp nhận trong kỳ.",
        "2.2" => "Chưa có dữ liệu: không có hồ sơ nào tiếp nhận trong kỳ đã có kết quả.",
        "3.6" => "Chưa có dữ liệu: chương trình chưa ghi nhận việc nộp phí, lệ phí.",
        "4.1" => "Chưa có dữ liệu: chương trình chưa ghi nhận việc trả kết quả điện tử.",
        "4.2" => "Chưa có dữ liệu: chương trình chưa lưu tệp số hóa thành phần hồ sơ.",
        "4.3" => "Chưa có dữ liệu: chương trình chưa ghi nhận thành phần hồ sơ dùng lại dữ liệu đã số hóa.",
        "5.4" => "Chưa có dữ liệu: chưa ghi nhận phản ánh, đánh giá mức độ hài lòng của người dân.",
        _ => "Chưa có dữ liệu: không có hồ sơ nào trong kỳ để tính.",
    }
}

/// Printed on every page a training office produces.
pub const TRAINING_MARK: &str = "BẢN DÙNG THỬ – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ";

pub const PERIOD_INVALID: &str = "Ngày kết thúc kỳ báo cáo phải bằng hoặc sau ngày bắt đầu.";

pub const DEMO_NEEDS_TRAINING: &str =
    "Dữ liệu mẫu chỉ được tạo trong cơ quan dùng thử (motcua init ... --training), không bao giờ trong sổ hồ sơ thật.";
pub const DEMO_NO_WORKING_DAY: &str = "Khoảng thời gian đã chọn không có ngày làm việc nào.";

pub fn demo_too_many(per_day: u64) -> String {
    format!("Cần {per_day} hồ sơ mỗi ngày làm việc, quá 999 số mà một quầy được cấp trong ngày. Hãy chọn khoảng thời gian dài hơn hoặc ít hồ sơ hơn.")
}

pub const NOW_NEEDS_TRAINING: &str =
    "Tùy chọn --now chỉ dùng cho cơ quan dùng thử (đào tạo, trình diễn). Cơ quan thật luôn dùng giờ thật của máy.";

/// The "Cách tính" page: how each figure of the reports screen is counted.
pub const REPORT_DEFINITIONS: &[(&str, &str)] = &[
    ("Kỳ báo cáo", "Từ đầu ngày bắt đầu đến hết ngày kết thúc (giờ Việt Nam). Số liệu tính đến cuối ngày kết thúc, hoặc đến thời điểm xem nếu kỳ chưa hết."),
    ("Hồ sơ thuộc kỳ", "Hồ sơ tiếp nhận đến hết kỳ mà chưa kết thúc xử lý trước ngày bắt đầu kỳ."),
    ("Số hồ sơ nhận giải quyết", "Tổng số = hồ sơ tiếp nhận trong kỳ (trực tiếp, bưu chính, trực tuyến) + hồ sơ từ kỳ trước chuyển sang (tiếp nhận trước kỳ, còn đang giải quyết khi kỳ bắt đầu). Luôn bằng số đã giải quyết + số đang giải quyết."),
    ("Kết thúc xử lý", "Thời điểm của sự kiện kết thúc đầu tiên: có kết quả, từ chối, công dân rút hồ sơ, dừng do không bổ sung, hoặc trả kết quả."),
    ("Thời hạn dùng để đánh giá", "Ngày hẹn trả như hiện hành: sau khi bổ sung đủ thì tính lại từ đầu; sau lần gia hạn thì theo ngày hẹn mới — chỉ khi bước đó đúng luật. Gia hạn ghi nhận muộn hoặc yêu cầu bổ sung muộn vẫn cho người dân giấy hẹn mới, nhưng hồ sơ vẫn được đánh giá theo hạn cũ (xem hai mục dưới)."),
    ("Gia hạn muộn", "Văn bản xin lỗi và hẹn lại ngày trả phải gửi chậm nhất 01 ngày làm việc trước hạn (Nghị định 118/2025/NĐ-CP, Điều 19): gia hạn được tính khi ngày làm việc kế tiếp ngày ghi nhận không muộn hơn ngày hết hạn. Ghi nhận muộn hơn: người dân nhận giấy hẹn mới (Mẫu 04) nhưng hồ sơ đánh giá theo hạn cũ, gắn cờ «gia hạn muộn»."),
    ("Yêu cầu bổ sung muộn", "Yêu cầu bổ sung chỉ dừng và tính lại thời hạn khi gửi trong 03 ngày làm việc kể từ ngày tiếp nhận và trước giờ hết hạn (Nghị định 118/2025/NĐ-CP, Điều 16, 19). Gửi muộn hơn: người dân vẫn nhận phiếu yêu cầu bổ sung và giấy hẹn mới, nhưng thời hạn không dừng và hồ sơ đánh giá theo hạn cũ, gắn cờ «yêu cầu bổ sung muộn»."),
    ("Nghi ngờ đồng hồ máy tính sai", "Máy chủ tỉnh ghi thời điểm nhận mỗi sự kiện; sự kiện ghi giờ muộn hơn lúc đến máy chủ quá 2 phút, hoặc sớm hơn một sự kiện máy đó đã gửi trước, bị gắn cờ. Máy tính tại quầy không cho ghi nhận một bước có giờ sớm hơn bước gần nhất nó đã ghi (đồng hồ bị chỉnh lùi)."),
    ("Trước hạn", "Kết thúc vào một ngày trước ngày hẹn trả."),
    ("Đúng hạn", "Kết thúc trong ngày hẹn trả, không muộn hơn giờ hẹn."),
    ("Quá hạn", "Kết thúc sau giờ hẹn trả; hoặc hồ sơ bị yêu cầu bổ sung quá một lần."),
    ("Đang giải quyết", "Chưa kết thúc khi hết kỳ: quá hạn nếu đã qua giờ hẹn dùng để đánh giá (trừ khi đang chờ công dân bổ sung theo một yêu cầu đúng hạn — thời hạn tạm dừng), còn lại là trong hạn."),
    ("Tỷ lệ trước hạn, đúng hạn", "(Trước hạn + đúng hạn) ÷ số đã giải quyết, tính theo phần trăm, làm tròn hai chữ số thập phân (từ 5 trở lên làm tròn lên). Không có hồ sơ đã giải quyết thì ghi «chưa có dữ liệu», không ghi 0 %."),
];

/// The period's figures in a few lines (the CLIs' text output).
pub fn report_summary(r: &crate::figures::Report) -> String {
    let rate = |v: Option<f64>| {
        v.map(|v| format!("{} %", crate::text::vn_number(v, 2)))
            .unwrap_or_else(|| "chưa có dữ liệu".into())
    };
    let mut s = format!(
        "Kỳ {} – {}: nhận {} (trực tiếp {}, bưu chính {}, trực tuyến {}, kỳ trước chuyển sang {}); \
         đã giải quyết {} (trước hạn {}, đúng hạn {}, quá hạn {}); đang giải quyết {} (trong hạn {}, quá hạn {}). \
         Tỷ lệ trước hạn, đúng hạn: {}.",
        crate::vntime::date_vn(r.from),
        crate::vntime::date_vn(r.to),
        r.received.total,
        r.received.counter,
        r.received.post,
        r.received.online,
        r.received.carried_over,
        r.resolved.total,
        r.resolved.early,
        r.resolved.on_time,
        r.resolved.late,
        r.pending.total,
        r.pending.within_due,
        r.pending.overdue,
        rate(r.on_time_rate)
    );
    for i in r.indicators.values() {
        s.push_str(&format!(
            "\n  {} {}: {}",
            i.code,
            i.name,
            i.value_text().or_else(|| i.no_data.clone()).unwrap_or_default()
        ));
    }
    s
}
