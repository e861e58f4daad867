<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>CandidateCard</name>
    <message>
        <location filename="../candidates.py" line="64" />
        <source>No capture</source>
        <translation>採取なし</translation>
    </message>
    <message>
        <location filename="../candidates.py" line="66" />
        <source>No watchlist image</source>
        <translation>要注意リストの画像なし</translation>
    </message>
    <message>
        <location filename="../candidates.py" line="69" />
        <source>Traveller</source>
        <translation>旅客</translation>
    </message>
    <message>
        <location filename="../candidates.py" line="70" />
        <source>Watchlist</source>
        <translation>要注意リスト</translation>
    </message>
    <message>
        <location filename="../candidates.py" line="84" />
        <source>similarity {s:.2f}</source>
        <translation>類似度 {s:.2f}</translation>
    </message>
</context>
<context>
    <name>CandidateStrip</name>
    <message>
        <location filename="../candidates.py" line="101" />
        <source>Watchlist faces and fingerprints: compare before deciding</source>
        <translation>要注意リストの顔・指紋：判定前に見比べてください</translation>
    </message>
</context>
<context>
    <name>DocumentCheckPage</name>
    <message>
        <location filename="../document_check.py" line="183" />
        <source>Document check — residence card</source>
        <translation>在留カードの確認</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="184" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="185" />
        <source>Card</source>
        <translation>カード</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="186" />
        <source>Card number printed on the card</source>
        <translation>カードに印字された在留カード番号</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="188" />
        <source>Read and verify the chip</source>
        <translation>ICチップを読み取り検証</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="189" />
        <source>From the chip</source>
        <translation>ICチップの画像</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="190" />
        <source>Card face image</source>
        <translation>券面画像</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="191" />
        <source>Photo</source>
        <translation>写真</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="192" />
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="193" />
        <source>Data on the chip</source>
        <translation>ICチップの記録事項</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="195" />
        <source>Card type</source>
        <translation>カード種別</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="196" />
        <source>Card number</source>
        <translation>在留カード番号</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="197" />
        <source>Card valid until</source>
        <translation>有効期間の満了日</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="198" />
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="199" />
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="200" />
        <source>Nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="201" />
        <source>Status of residence</source>
        <translation>在留資格</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="202" />
        <source>Period of stay</source>
        <translation>在留期間</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="203" />
        <source>Stay until</source>
        <translation>在留期間の満了日</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="204" />
        <source>Address</source>
        <translation>住居地</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="205" />
        <source>Work permission</source>
        <translation>就労制限の有無</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="209" />
        <source>genuine, first generation</source>
        <translation>真正・第一世代</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="210" />
        <source>genuine, second generation</source>
        <translation>真正・第二世代</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="211" />
        <source>data changed after issue</source>
        <translation>発行後にデータ改変</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="212" />
        <source>holder under 16, no signature</source>
        <translation>16歳未満・署名なし</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="213" />
        <source>signed by an unknown authority</source>
        <translation>不明な機関による署名</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="220" />
        <source>Training card {number} ({purpose})</source>
        <translation>訓練用カード {number}（{purpose}）</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="245" />
        <source>2 letters, 8 digits, 2 letters.</source>
        <translation>英字2桁・数字8桁・英字2桁です。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="247" />
        <source>Format is valid.</source>
        <translation>形式は正しいです。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="250" />
        <source>Not a card number yet: 2 letters, 8 digits, 2 letters.</source>
        <translation>在留カード番号の形式ではありません（英字2桁・数字8桁・英字2桁）。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="275" />
        <source>No card reader is configured.</source>
        <translation>カードリーダーが設定されていません。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="288" />
        <source>Reading the chip… keep the card on the reader.</source>
        <translation>ICチップを読み取り中… カードをリーダーに置いたままにしてください。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="311" />
        <source>Chip read. Compare the photo with the holder.</source>
        <translation>ICチップを読み取りました。写真と所持人を見比べてください。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="317" />
        <source>Genuine: the chip's data is signed by a trusted authority.</source>
        <translation>真正: ICチップのデータに信頼できる発行機関の署名があります。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="321" />
        <source>NOT GENUINE: the chip's data does not match its signature.</source>
        <translation>真正でない: ICチップのデータが署名と一致しません。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="325" />
        <source>NOT VERIFIED: the signature is not from a trusted authority.</source>
        <translation>未検証: 署名が信頼できる発行機関のものではありません。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="330" />
        <source>No signature on the chip: normal for a holder under 16. Check the card's printed security features.</source>
        <translation>ICチップに署名がありません。16歳未満の所持人では正常です。券面のセキュリティ特徴を確認してください。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="336" />
        <source>The chip refused this card number. Check the number printed on the card.</source>
        <translation>ICチップがこの番号を受け付けません。カードに印字された番号を確認してください。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="339" />
        <source>The chip could not be read completely.</source>
        <translation>ICチップを完全には読み取れませんでした。</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="344" />
        <source>Genuine</source>
        <translation>真正</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="345" />
        <source>Check manually</source>
        <translation>目視で確認</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="346" />
        <source>Not verified</source>
        <translation>未検証</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="350" />
        <source>Card number accepted by the chip</source>
        <translation>ICチップが在留カード番号を受理</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="351" />
        <source>All files read</source>
        <translation>全ファイル読取</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="352" />
        <source>Signature over the card data</source>
        <translation>カードデータの署名</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="353" />
        <source>Signer certificate issued by a trusted CA</source>
        <translation>署名者証明書が信頼できる認証局から発行</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="356" />
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="357" />
        <source>FAILED</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="358" />
        <source>not present on this card</source>
        <translation>このカードにはなし</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="359" />
        <source>not run</source>
        <translation>未実施</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="375" />
        <source>Residence card (1st generation)</source>
        <translation>在留カード（第一世代）</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="376" />
        <source>Special permanent resident certificate (1st generation)</source>
        <translation>特別永住者証明書（第一世代）</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="377" />
        <source>Residence card (2nd generation)</source>
        <translation>在留カード（第二世代）</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="378" />
        <source>Special permanent resident certificate (2nd generation)</source>
        <translation>特別永住者証明書（第二世代）</translation>
    </message>
    <message>
        <location filename="../document_check.py" line="385" />
        <source>First-generation chips hold name and dates only in the card image.</source>
        <translation>第一世代のICチップでは、氏名や日付は券面画像にのみ記録されています。</translation>
    </message>
</context>
<context>
    <name>FingerCapturePanel</name>
    <message>
        <location filename="../finger_capture.py" line="287" />
        <source>No fingerprint scanner connected.</source>
        <translation>指紋スキャナが接続されていません。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="354" />
        <source>Exception</source>
        <translation>例外</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="357" />
        <source>Record fingers</source>
        <translation>指紋を記録</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="381" />
        <source>{finger}: place the finger on the scanner.</source>
        <translation>{finger}：指をスキャナに置いてください。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="455" />
        <location filename="../finger_capture.py" line="555" />
        <source>Checking the quality…</source>
        <translation>品質を確認しています…</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="509" />
        <source>All fingers done.</source>
        <translation>すべての指が完了しました。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="512" />
        <source>Retake the finger or record an exception.</source>
        <translation>指を取り直すか、例外を記録してください。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="540" />
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="540" />
        <source>Capture</source>
        <translation>採取</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="547" />
        <source>Live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="549" />
        <location filename="../finger_capture.py" line="560" />
        <location filename="../finger_capture.py" line="567" />
        <source>Threshold {t}</source>
        <translation>基準値 {t}</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="550" />
        <source>Place the finger flat on the glass and hold still.</source>
        <translation>指をガラス面に平らに置き、動かさないでください。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="551" />
        <source>Waiting for the scanner…</source>
        <translation>スキャナを待っています…</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="554" />
        <source>Checking</source>
        <translation>確認中</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="558" />
        <source>Not captured</source>
        <translation>未採取</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="562" />
        <location filename="../finger_capture.py" line="575" />
        <source>No image</source>
        <translation>画像なし</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="568" />
        <source>Waiting.</source>
        <translation>待機中。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="577" />
        <source>Exception: {reason}. Retry captures the finger after all.</source>
        <translation>例外：{reason}。「再試行」で改めて採取できます。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="591" />
        <source>Accepted</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="592" />
        <source>Good quality.</source>
        <translation>品質良好。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="594" />
        <source>Retake</source>
        <translation>再採取</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="599" />
        <source>If the finger cannot give a better print, record it as unusable.</source>
        <translation>これ以上良い指紋が取れない場合は「採取不能」として記録してください。</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="606" />
        <source>Quality not measurable (needs {t})</source>
        <translation>品質を測定できません（基準 {t}）</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="607" />
        <source>Quality {q} (needs {t})</source>
        <translation>品質 {q}（基準 {t}）</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="615" />
        <source>NFIQ 2: {q}</source>
        <translation>NFIQ 2：{q}</translation>
    </message>
    <message>
        <location filename="../finger_capture.py" line="620" />
        <source>scanner: {q}</source>
        <translation>スキャナ：{q}</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../history.py" line="123" />
        <source>Case history</source>
        <translation>案件履歴</translation>
    </message>
    <message>
        <location filename="../history.py" line="124" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../history.py" line="125" />
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../history.py" line="126" />
        <source>Recent cases</source>
        <translation>最近の案件</translation>
    </message>
    <message>
        <location filename="../history.py" line="127" />
        <source>Audit trail of the selected case</source>
        <translation>選択した案件の監査記録</translation>
    </message>
    <message>
        <location filename="../history.py" line="129" />
        <source>Opened</source>
        <translation>開始日時</translation>
    </message>
    <message>
        <location filename="../history.py" line="130" />
        <source>Traveller</source>
        <translation>旅客</translation>
    </message>
    <message>
        <location filename="../history.py" line="131" />
        <source>Document no.</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../history.py" line="132" />
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../history.py" line="133" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../history.py" line="134" />
        <source>Operator</source>
        <translation>職員</translation>
    </message>
    <message>
        <location filename="../history.py" line="135" />
        <source>Training</source>
        <translation>訓練</translation>
    </message>
    <message>
        <location filename="../history.py" line="145" />
        <source>{n} cases</source>
        <translation>{n} 件</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../home.py" line="129" />
        <source>Workflows</source>
        <translation>業務</translation>
    </message>
    <message>
        <location filename="../home.py" line="131" />
        <source>Landing examination</source>
        <translation>上陸審査</translation>
    </message>
    <message>
        <location filename="../home.py" line="132" />
        <source>Document check (residence card chip)</source>
        <translation>在留カードICチップの確認</translation>
    </message>
    <message>
        <location filename="../home.py" line="133" />
        <source>Departure confirmation</source>
        <translation>出国確認</translation>
    </message>
    <message>
        <location filename="../home.py" line="134" />
        <source>Secondary inspection</source>
        <translation>二次審査</translation>
    </message>
    <message>
        <location filename="../home.py" line="135" />
        <source>Patrol check of a residence card</source>
        <translation>在留カードの確認（巡回）</translation>
    </message>
    <message>
        <location filename="../home.py" line="136" />
        <source>Automated-gate enrolment</source>
        <translation>自動化ゲート利用登録</translation>
    </message>
    <message>
        <location filename="../home.py" line="137" />
        <source>Bio Cart pre-capture</source>
        <translation>バイオカート事前取得</translation>
    </message>
    <message>
        <location filename="../home.py" line="138" />
        <source>Manifest pre-screen</source>
        <translation>乗客名簿の事前照合</translation>
    </message>
    <message>
        <location filename="../home.py" line="139" />
        <source>Case history</source>
        <translation>案件履歴</translation>
    </message>
    <message>
        <location filename="../home.py" line="144" />
        <source>Not yet available</source>
        <translation>未対応（今後提供）</translation>
    </message>
    <message>
        <location filename="../home.py" line="146" />
        <source>Today at this workstation</source>
        <translation>本日の処理状況（この端末）</translation>
    </message>
    <message>
        <location filename="../home.py" line="148" />
        <source>decided</source>
        <translation>判定済み</translation>
    </message>
    <message>
        <location filename="../home.py" line="149" />
        <source>permitted</source>
        <translation>許可</translation>
    </message>
    <message>
        <location filename="../home.py" line="150" />
        <source>referred</source>
        <translation>回付</translation>
    </message>
    <message>
        <location filename="../home.py" line="151" />
        <source>refused</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../home.py" line="152" />
        <source>median time per case</source>
        <translation>1件あたり所要時間（中央値）</translation>
    </message>
    <message>
        <location filename="../home.py" line="153" />
        <source>open</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../home.py" line="158" />
        <source>Live cases only (training not counted). Goal: waiting time of 20 minutes or less.</source>
        <translation>本番の案件のみ（訓練は含みません）。目標: 待ち時間20分以内。</translation>
    </message>
    <message>
        <location filename="../home.py" line="161" />
        <source>Open cases</source>
        <translation>処理中の案件</translation>
    </message>
    <message>
        <location filename="../home.py" line="163" />
        <source>Cases interrupted by a restart continue where they stopped (double-click).</source>
        <translation>再起動などで中断した案件は、中断した手順から再開できます（ダブルクリック）。</translation>
    </message>
    <message>
        <location filename="../home.py" line="165" />
        <source>Workstation status</source>
        <translation>端末の状態</translation>
    </message>
    <message>
        <location filename="../home.py" line="167" />
        <source>Watchlist</source>
        <translation>要注意リスト</translation>
    </message>
    <message>
        <location filename="../home.py" line="168" />
        <source>Records to upload</source>
        <translation>送信待ちの記録</translation>
    </message>
    <message>
        <location filename="../home.py" line="169" />
        <source>Document reader</source>
        <translation>旅券リーダー</translation>
    </message>
    <message>
        <location filename="../home.py" line="170" />
        <source>Camera</source>
        <translation>カメラ</translation>
    </message>
    <message>
        <location filename="../home.py" line="171" />
        <source>Fingerprint scanner</source>
        <translation>指紋スキャナー</translation>
    </message>
    <message>
        <location filename="../home.py" line="172" />
        <source>Mode</source>
        <translation>モード</translation>
    </message>
    <message>
        <location filename="../home.py" line="176" />
        <source>Open list</source>
        <translation>一覧を開く</translation>
    </message>
    <message>
        <location filename="../home.py" line="177" />
        <source>Each record waiting for upload, with its status</source>
        <translation>送信待ちの各記録とその状態</translation>
    </message>
    <message>
        <location filename="../home.py" line="196" />
        <source>{queued} queued · {sent} sent · {ack} acknowledged · {rejected} rejected</source>
        <translation>送信待ち {queued} · 送信済み {sent} · 受領確認 {ack} · 拒否 {rejected}</translation>
    </message>
    <message>
        <location filename="../home.py" line="211" />
        <source>(no document yet)</source>
        <translation>（旅券未読取）</translation>
    </message>
    <message>
        <location filename="../home.py" line="219" />
        <source>No open cases</source>
        <translation>処理中の案件はありません</translation>
    </message>
</context>
<context>
    <name>LandingPage</name>
    <message>
        <location filename="../landing.py" line="385" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../landing.py" line="387" />
        <source>Document</source>
        <translation>旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="389" />
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <location filename="../landing.py" line="390" />
        <source>Nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../landing.py" line="391" />
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <location filename="../landing.py" line="392" />
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <location filename="../landing.py" line="393" />
        <source>Document no.</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../landing.py" line="394" />
        <source>Date of expiry</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <location filename="../landing.py" line="395" />
        <source>Issuing state</source>
        <translation>発行国</translation>
    </message>
    <message>
        <location filename="../landing.py" line="396" />
        <source>Read from</source>
        <translation>読取元</translation>
    </message>
    <message>
        <location filename="../landing.py" line="399" />
        <source>Chip photo</source>
        <translation>ICチップの顔写真</translation>
    </message>
    <message>
        <location filename="../landing.py" line="400" />
        <source>Read again</source>
        <translation>再読取</translation>
    </message>
    <message>
        <location filename="../landing.py" line="401" />
        <source>Enter MRZ…</source>
        <translation>MRZを入力…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="403" />
        <source>Face</source>
        <translation>顔</translation>
    </message>
    <message>
        <location filename="../landing.py" line="404" />
        <source>Live camera</source>
        <translation>カメラ映像</translation>
    </message>
    <message>
        <location filename="../landing.py" line="405" />
        <location filename="../landing.py" line="817" />
        <source>Captured</source>
        <translation>取得済み</translation>
    </message>
    <message>
        <location filename="../landing.py" line="406" />
        <source>Capture face</source>
        <translation>顔を撮影</translation>
    </message>
    <message>
        <location filename="../landing.py" line="407" />
        <source>Fingerprints</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../landing.py" line="409" />
        <source>Checks</source>
        <translation>照合</translation>
    </message>
    <message>
        <location filename="../landing.py" line="410" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../landing.py" line="411" />
        <source>Permit landing</source>
        <translation>上陸許可</translation>
    </message>
    <message>
        <location filename="../landing.py" line="412" />
        <source>Refer to secondary</source>
        <translation>二次審査へ回付</translation>
    </message>
    <message>
        <location filename="../landing.py" line="413" />
        <source>Refuse</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../landing.py" line="414" />
        <source>Status of residence</source>
        <translation>在留資格</translation>
    </message>
    <message>
        <location filename="../landing.py" line="415" />
        <source>Period of stay</source>
        <translation>在留期間</translation>
    </message>
    <message>
        <location filename="../landing.py" line="416" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../landing.py" line="417" />
        <source>Note</source>
        <translation>備考</translation>
    </message>
    <message>
        <location filename="../landing.py" line="418" />
        <source>Optional; required for 'other'</source>
        <translation>任意（「その他」の場合は必須）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="419" />
        <source>Record decision  (Ctrl+Enter)</source>
        <translation>判定を記録  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../landing.py" line="420" />
        <source>Next traveller</source>
        <translation>次の旅客</translation>
    </message>
    <message>
        <location filename="../landing.py" line="427" />
        <source>no hit expected</source>
        <translation>該当なしの見本</translation>
    </message>
    <message>
        <location filename="../landing.py" line="428" />
        <source>document number on watchlist</source>
        <translation>旅券番号が要注意リストに該当</translation>
    </message>
    <message>
        <location filename="../landing.py" line="429" />
        <source>name on watchlist</source>
        <translation>氏名が要注意リストに該当</translation>
    </message>
    <message>
        <location filename="../landing.py" line="430" />
        <source>stolen document</source>
        <translation>盗難旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="431" />
        <source>chip fails verification</source>
        <translation>ICチップ検証不合格</translation>
    </message>
    <message>
        <location filename="../landing.py" line="432" />
        <source>older chip, BAC only</source>
        <translation>旧式ICチップ（BACのみ）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="439" />
        <source>Training specimen: {name} ({purpose})</source>
        <translation>訓練用見本: {name}（{purpose}）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="502" />
        <source>Opening the case…</source>
        <translation>案件を開始しています…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="527" />
        <source>Place the passport and press "Enter MRZ…" to scan or type its MRZ.</source>
        <translation>旅券を置き、「MRZを入力…」を押してMRZを読み取るか入力してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="559" />
        <source>Reading the chip…</source>
        <translation>ICチップを読み取り中…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="582" />
        <source>No document reader connected.</source>
        <translation>旅券リーダーが接続されていません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="590" />
        <source>Place the passport on the reader…</source>
        <translation>旅券をリーダーに置いてください…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="632" />
        <source>No camera connected.</source>
        <translation>カメラが接続されていません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="638" />
        <source>Ask the traveller to look at the camera.</source>
        <translation>旅客にカメラを見るよう案内してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="693" />
        <source>Good — hold still.</source>
        <translation>良好です。そのまま動かないでください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="759" />
        <source>Checking the watchlist…</source>
        <translation>要注意リストと照合中…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="780" />
        <source>Choose permit, refer or refuse.</source>
        <translation>許可・回付・拒否のいずれかを選んでください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="806" />
        <source>Case {id}</source>
        <translation>案件 {id}</translation>
    </message>
    <message>
        <location filename="../landing.py" line="818" />
        <source>Face captured.</source>
        <translation>顔を撮影しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="839" />
        <source>Decision stored at {time} (watchlist v{version}).</source>
        <translation>{time} に判定を記録しました（要注意リスト v{version}）。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="875" />
        <source>Recorded, with exceptions</source>
        <translation>記録済み（例外あり）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="877" />
        <source>Recorded</source>
        <translation>記録済み</translation>
    </message>
    <message>
        <location filename="../landing.py" line="896" />
        <source>chip (verified)</source>
        <translation>ICチップ（検証済み）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="897" />
        <source>printed MRZ</source>
        <translation>印字MRZ</translation>
    </message>
    <message>
        <location filename="../landing.py" line="898" />
        <source>manual entry</source>
        <translation>手入力</translation>
    </message>
    <message>
        <location filename="../landing.py" line="899" />
        <source>simulated chip (training)</source>
        <translation>模擬ICチップ（訓練）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="905" />
        <source>Document read.</source>
        <translation>旅券を読み取りました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="906" />
        <source>Read</source>
        <translation>読取済み</translation>
    </message>
    <message>
        <location filename="../landing.py" line="911" />
        <source>Chip genuine</source>
        <translation>ICチップ真正</translation>
    </message>
    <message>
        <location filename="../landing.py" line="911" />
        <source>CHIP NOT GENUINE</source>
        <translation>ICチップ真正性なし</translation>
    </message>
    <message>
        <location filename="../landing.py" line="917" />
        <source>Read with BAC (older, weaker chip access): check the document closely.</source>
        <translation>BAC（旧式で弱いアクセス方式）で読み取りました。旅券を入念に確認してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="931" />
        <source>Checks run when document, face and fingers are captured.</source>
        <translation>旅券・顔・指紋がそろうと照合を自動で実行します。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="939" />
        <source>Watchlist version {v}, published {h:.0f} h ago.</source>
        <translation>要注意リスト 第{v}版（{h:.0f} 時間前に公開）。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="945" />
        <source>Too old: decisions are blocked.</source>
        <translation>期限切れのため判定できません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="949" />
        <source>Out of date: synchronise soon.</source>
        <translation>更新が遅れています。早めに同期してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="955" />
        <source>The document has expired.</source>
        <translation>旅券の有効期限が切れています。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="958" />
        <source>The document's chip failed verification.</source>
        <translation>旅券のICチップが検証に失敗しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="961" />
        <source>No match</source>
        <translation>該当なし</translation>
    </message>
    <message>
        <location filename="../landing.py" line="963" />
        <source>No watchlist or lost-document match.</source>
        <translation>要注意リスト・紛失盗難旅券への該当はありません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="969" />
        <source>{n} possible match(es)</source>
        <translation>該当候補 {n} 件</translation>
    </message>
    <message>
        <location filename="../landing.py" line="973" />
        <source>Compare the traveller with each entry before deciding.</source>
        <translation>判定の前に、旅客と各該当候補を比較してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="983" />
        <source>exact</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <location filename="../landing.py" line="985" />
        <source>similar ({p:.0%})</source>
        <translation>類似（{p:.0%}）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1028" />
        <source>Watchlist faces and fingerprints: not searched (not configured).</source>
        <translation>要注意リストの顔・指紋：照合していません（未設定）。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1032" />
        <source>Watchlist faces and fingerprints: not searched, still loading.</source>
        <translation>要注意リストの顔・指紋：読み込み中のため照合していません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1036" />
        <source>Watchlist faces and fingerprints: this watchlist has none.</source>
        <translation>要注意リストの顔・指紋：このリストには登録がありません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1042" />
        <source>Searched the face and {n} finger(s) against {faces} faces and {fingers} fingers on the watchlist.</source>
        <translation>顔と指紋 {n} 指を、要注意リストの顔 {faces} 件・指紋 {fingers} 件と照合しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1047" />
        <source>Searched {n} finger(s), not the face, against {faces} faces and {fingers} fingers on the watchlist.</source>
        <translation>顔は照合せず、指紋 {n} 指を要注意リストの顔 {faces} 件・指紋 {fingers} 件と照合しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="1080" />
        <source>Face 1:1: not checked (face matching not installed).</source>
        <translation>顔照合（1対1）: 未実施（顔照合機能が未導入）。</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../login.py" line="117" />
        <source>Sekisho inspection workstation</source>
        <translation>関所 審査端末</translation>
    </message>
    <message>
        <location filename="../login.py" line="120" />
        <source>The screen was locked after inactivity. Enter your password to continue.</source>
        <translation>一定時間操作がなかったため画面をロックしました。続けるにはパスワードを入力してください。</translation>
    </message>
    <message>
        <location filename="../login.py" line="123" />
        <source>Log in with your operator ID.</source>
        <translation>職員IDでログインしてください。</translation>
    </message>
    <message>
        <location filename="../login.py" line="124" />
        <source>Operator ID</source>
        <translation>職員ID</translation>
    </message>
    <message>
        <location filename="../login.py" line="125" />
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../login.py" line="126" />
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location filename="../login.py" line="127" />
        <source>Unlock</source>
        <translation>ロック解除</translation>
    </message>
    <message>
        <location filename="../login.py" line="127" />
        <source>Log in</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <location filename="../login.py" line="130" />
        <source>Training mode: demo accounts inspector / supervisor / admin, password sekisho-demo. Simulated devices; records are marked as training.</source>
        <translation>訓練モード: デモ用アカウント inspector / supervisor / admin、パスワード sekisho-demo。模擬機器を使用し、記録には訓練の表示が付きます。</translation>
    </message>
    <message>
        <location filename="../login.py" line="140" />
        <source>No operator account exists yet. An administrator creates the first one with: sekisho operator add ID --name NAME --role administrator</source>
        <translation>オペレーターのアカウントがまだありません。管理者が次のコマンドで最初のアカウントを作成してください: sekisho operator add ID --name NAME --role administrator</translation>
    </message>
    <message>
        <location filename="../login.py" line="145" />
        <source>The database is not encrypted. Close this window; an administrator encrypts it with: sekisho db encrypt</source>
        <translation>データベースが暗号化されていません。この画面を閉じ、管理者が次のコマンドで暗号化してください: sekisho db encrypt</translation>
    </message>
    <message>
        <location filename="../login.py" line="150" />
        <source>The database key file (sekisho.keyring) is missing beside the database. An administrator restores it from the backup.</source>
        <translation>データベースの鍵ファイル (sekisho.keyring) がデータベースと同じ場所にありません。管理者がバックアップから復元してください。</translation>
    </message>
    <message>
        <location filename="../login.py" line="192" />
        <source>Enter your operator ID and password.</source>
        <translation>職員IDとパスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="204" />
        <source>Sekisho — inspection workstation</source>
        <translation>関所 — 審査端末</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="205" />
        <source>Sekisho 関所</source>
        <translation>関所 Sekisho</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206" />
        <source>TRAINING MODE — simulated devices</source>
        <translation>訓練モード — 模擬機器</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208" />
        <source>Log out</source>
        <translation>ログアウト</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="212" />
        <source>Operator: {name}</source>
        <translation>職員: {name}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="385" />
        <source>Watchlist v{v} · {h:.0f} h old · {n} persons</source>
        <translation>要注意リスト v{v} · {h:.0f} 時間前 · {n} 人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="391" />
        <source>TOO OLD: decisions blocked</source>
        <translation>期限切れ: 判定不可</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="393" />
        <source>out of date</source>
        <translation>更新遅れ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="401" />
        <source>not connected</source>
        <translation>未接続</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="409" />
        <source>Training (simulated devices; every record marked)</source>
        <translation>訓練（模擬機器、全記録に訓練の表示）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="411" />
        <source>Live</source>
        <translation>ライブ</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../messages.py" line="14" />
        <source>Wrong operator ID or password. {n} attempts left before the account locks.</source>
        <translation>職員IDまたはパスワードが違います。あと {n} 回失敗するとアカウントがロックされます。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="18" />
        <source>Wrong operator ID or password.</source>
        <translation>職員IDまたはパスワードが違います。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="20" />
        <source>This account is locked after too many failed attempts. Try again after {time}.</source>
        <translation>ログインの失敗が続いたため、このアカウントはロックされています。{time} 以降に再度お試しください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="25" />
        <source>No document on the reader. Place the passport or card on the reader.</source>
        <translation>リーダーに旅券がありません。旅券またはカードをリーダーに置いてください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="28" />
        <source>The document could not be read. Remove it and place it again.</source>
        <translation>旅券を読み取れませんでした。いったん取り外して置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="31" />
        <source>The machine-readable zone is not valid: a check digit does not match.</source>
        <translation>機械読取領域（MRZ）が不正です。チェックディジットが一致しません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="34" />
        <source>The chip refused access. Check the document number, dates or card number.</source>
        <translation>ICチップへのアクセスが拒否されました。旅券番号・日付・カード番号を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="37" />
        <source>The device is not connected or stopped responding. Check the cable.</source>
        <translation>機器が接続されていないか、応答しません。ケーブルを確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="40" />
        <source>The device is in use by another program.</source>
        <translation>機器は他のプログラムで使用中です。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="43" />
        <source>The capture did not produce a usable image. Try again.</source>
        <translation>使用できる画像が得られませんでした。もう一度取得してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="46" />
        <source>The capture was cancelled.</source>
        <translation>取得を中止しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="49" />
        <source>No card on the reader. Place the residence card on the reader.</source>
        <translation>リーダーにカードがありません。在留カードをリーダーに置いてください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="52" />
        <source>The card was removed during reading. Place it again and keep it still.</source>
        <translation>読取中にカードが離れました。もう一度置いて、動かさないでください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="55" />
        <source>Communication with the card failed. Place the card again.</source>
        <translation>カードとの通信に失敗しました。カードを置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="58" />
        <source>The card answered with an error. Place the card again.</source>
        <translation>カードがエラーを返しました。カードを置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="61" />
        <source>The card's secure channel failed: the card may not be genuine.</source>
        <translation>カードとの暗号通信に失敗しました。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="64" />
        <source>The card's data is malformed: the card may not be genuine.</source>
        <translation>カードのデータ形式が不正です。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="67" />
        <source>The card's data is not in a known format.</source>
        <translation>カードのデータが既知の形式ではありません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="70" />
        <source>The card number is not valid: 2 letters, 8 digits, 2 letters (e.g. AB12345678CD).</source>
        <translation>在留カード番号が不正です。英字2桁・数字8桁・英字2桁です（例: AB12345678CD）。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="74" />
        <source>The card refused this card number. Check the number printed on the card.</source>
        <translation>カードがこの番号を受け付けません。カードに印字された番号を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="77" />
        <source>The card's authentication answer is wrong: the card may not be genuine.</source>
        <translation>カードの認証応答が不正です。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="80" />
        <source>The smart-card service (PC/SC) is not running.</source>
        <translation>ICカードサービス（PC/SC）が起動していません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="83" />
        <source>No card reader is connected.</source>
        <translation>カードリーダーが接続されていません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="84" />
        <source>The card reader is in use by another program.</source>
        <translation>カードリーダーは他のプログラムで使用中です。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="87" />
        <source>The chip refused the MRZ or CAN. Check the document number, dates or CAN.</source>
        <translation>ICチップがMRZまたはCANを受け付けません。旅券番号・日付・CANを確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="90" />
        <source>The chip's authentication answer is wrong: the chip may not be genuine.</source>
        <translation>ICチップの認証応答が不正です。真正なICチップでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="93" />
        <source>This chip offers only BAC, which the policy does not allow. Inspect the document manually.</source>
        <translation>このICチップはBACのみ対応で、運用方針で認められていません。旅券を目視で確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="97" />
        <source>A CAN works only with chips that offer PACE. Use the MRZ instead.</source>
        <translation>CANはPACE対応のICチップでのみ使えます。MRZを使ってください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="100" />
        <source>The chip's PACE access failed. Place the passport again.</source>
        <translation>ICチップのPACEアクセスに失敗しました。旅券を置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="103" />
        <source>The chip's data is malformed: the chip may not be genuine.</source>
        <translation>ICチップのデータ形式が不正です。真正なICチップでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="106" />
        <source>A key on the chip is malformed: the chip may not be genuine.</source>
        <translation>ICチップの鍵データが不正です。真正なICチップでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="109" />
        <source>The chip uses elliptic-curve parameters we cannot verify.</source>
        <translation>ICチップが検証できない楕円曲線パラメータを使用しています。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="112" />
        <source>The watchlist source is not valid; nothing was applied.</source>
        <translation>要注意リストの元データが不正です。何も適用していません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="115" />
        <source>The watchlist update failed verification (signature, version or metadata); nothing was applied.</source>
        <translation>要注意リストの更新が検証に失敗しました（署名・版・メタデータ）。何も適用していません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="119" />
        <source>The watchlist update has expired metadata (possible freeze attack); nothing was applied.</source>
        <translation>要注意リストの更新のメタデータが期限切れです（凍結攻撃の可能性）。何も適用していません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="123" />
        <source>The watchlist source cannot be reached; the current watchlist stays in use.</source>
        <translation>要注意リストの配信元に接続できません。現在のリストを引き続き使用します。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="127" />
        <source>The first watchlist synchronisation needs the trusted root file.</source>
        <translation>初回の要注意リスト同期には信頼ルートファイルが必要です。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="130" />
        <source>Applying the watchlist failed; the previous version stays in use.</source>
        <translation>要注意リストの適用に失敗しました。以前の版を引き続き使用します。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="133" />
        <source>The database key could not be unlocked.</source>
        <translation>データベースの鍵を解除できませんでした。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="136" />
        <source>An audit log signature is invalid. Call an administrator.</source>
        <translation>監査記録の署名が不正です。管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="139" />
        <source>The hub cannot be reached; records stay queued and are sent later.</source>
        <translation>集約サーバーに接続できません。記録は送信待ちのまま保持され、後で送信されます。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="142" />
        <source>The hub rejected the records; they stay queued. Call an administrator.</source>
        <translation>集約サーバーが記録を拒否しました。送信待ちのまま保持します。管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="145" />
        <source>The fingerprint scanner is not registered. Use a registered device.</source>
        <translation>指紋スキャナーが登録されていません。登録済みの機器を使用してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="148" />
        <source>The fingerprint scanner's signature is not trusted. Call an administrator.</source>
        <translation>指紋スキャナーの署名が信頼できません。管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="151" />
        <source>The fingerprint scanner answered wrongly. Restart the scanner service.</source>
        <translation>指紋スキャナーの応答が不正です。スキャナーのサービスを再起動してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="154" />
        <source>The fingerprint scanner's clock is wrong: the capture was refused.</source>
        <translation>指紋スキャナーの時刻が不正なため、採取を拒否しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="157" />
        <source>The scanner returned fewer fingers than asked. Capture again.</source>
        <translation>要求より少ない指しか採取されませんでした。もう一度採取してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="160" />
        <source>The fingerprint scanner reports tampering. Do not use it; call an administrator.</source>
        <translation>指紋スキャナーが改ざんを検知しています。使用せず、管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="164" />
        <source>The scanner's live image stopped. Check the scanner.</source>
        <translation>スキャナーのライブ画像が止まりました。スキャナーを確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="167" />
        <source>The fingerprint scanner reported an error. Try again.</source>
        <translation>指紋スキャナーがエラーを報告しました。もう一度お試しください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="170" />
        <source>No machine-readable zone found in the image. Scan the data page upright, or type the MRZ.</source>
        <translation>画像に機械読取領域（MRZ）が見つかりません。身分事項ページを正しい向きで読み取るか、MRZを入力してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="174" />
        <source>Your role does not allow this action.</source>
        <translation>この操作を行う権限がありません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="177" />
        <source>The case was not found.</source>
        <translation>案件が見つかりません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="178" />
        <source>This step is not possible at this point of the examination.</source>
        <translation>審査のこの段階では、この操作はできません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="181" />
        <source>The decision is incomplete: check status, period of stay or reason.</source>
        <translation>判定が不完全です。在留資格・在留期間・理由を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="184" />
        <source>Policy does not allow this decision: refer the case to secondary inspection.</source>
        <translation>この判定は運用方針で認められていません。二次審査に回付してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="188" />
        <source>The watchlist is too old to decide on. Synchronise the watchlist first.</source>
        <translation>要注意リストが古すぎるため判定できません。先に同期してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="191" />
        <source>The database could not be written. Nothing was recorded; try again.</source>
        <translation>データベースに書き込めませんでした。何も記録されていません。もう一度実行してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="194" />
        <source>The audit log failed verification. Call an administrator.</source>
        <translation>監査記録の検証に失敗しました。管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="200" />
        <source>The operation failed.</source>
        <translation>処理に失敗しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="203" />
        <source>Unexpected error. The case is saved; restart the step. [{name}]</source>
        <translation>予期しないエラーです。案件は保存されています。この手順をやり直してください。[{name}]</translation>
    </message>
    <message>
        <location filename="../messages.py" line="210" />
        <source>Refuse</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../messages.py" line="211" />
        <source>Refer</source>
        <translation>回付</translation>
    </message>
    <message>
        <location filename="../messages.py" line="212" />
        <source>Notify</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../messages.py" line="218" />
        <source>Document number on watchlist</source>
        <translation>要注意リスト該当の旅券番号</translation>
    </message>
    <message>
        <location filename="../messages.py" line="219" />
        <source>Lost or stolen document</source>
        <translation>紛失・盗難旅券</translation>
    </message>
    <message>
        <location filename="../messages.py" line="220" />
        <source>Name and date of birth</source>
        <translation>氏名・生年月日</translation>
    </message>
    <message>
        <location filename="../messages.py" line="221" />
        <location filename="../messages.py" line="285" />
        <source>Face</source>
        <translation>顔</translation>
    </message>
    <message>
        <location filename="../messages.py" line="222" />
        <source>Fingerprint</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../messages.py" line="223" />
        <source>Invalidated residence card</source>
        <translation>失効した在留カード</translation>
    </message>
    <message>
        <location filename="../messages.py" line="224" />
        <source>Departure-confirmation deferment</source>
        <translation>出国確認の留保対象</translation>
    </message>
    <message>
        <location filename="../messages.py" line="225" />
        <source>Landing-restriction list</source>
        <translation>上陸制限リスト</translation>
    </message>
    <message>
        <location filename="../messages.py" line="231" />
        <source>name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <location filename="../messages.py" line="232" />
        <source>same date of birth</source>
        <translation>生年月日一致</translation>
    </message>
    <message>
        <location filename="../messages.py" line="233" />
        <source>close date of birth</source>
        <translation>生年月日が近い</translation>
    </message>
    <message>
        <location filename="../messages.py" line="234" />
        <source>nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../messages.py" line="235" />
        <source>document number</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../messages.py" line="236" />
        <source>reported stolen</source>
        <translation>盗難届あり</translation>
    </message>
    <message>
        <location filename="../messages.py" line="237" />
        <source>reported lost</source>
        <translation>紛失届あり</translation>
    </message>
    <message>
        <location filename="../messages.py" line="238" />
        <source>spelling variant</source>
        <translation>表記ゆれ</translation>
    </message>
    <message>
        <location filename="../messages.py" line="239" />
        <source>native-script name</source>
        <translation>本国文字の氏名</translation>
    </message>
    <message>
        <location filename="../messages.py" line="240" />
        <source>small spelling difference</source>
        <translation>わずかな綴りの違い</translation>
    </message>
    <message>
        <location filename="../messages.py" line="241" />
        <source>face like the watchlist photo</source>
        <translation>要注意人物の顔写真と類似</translation>
    </message>
    <message>
        <location filename="../messages.py" line="242" />
        <source>fingerprint like a watchlist finger</source>
        <translation>要注意人物の指紋と類似</translation>
    </message>
    <message>
        <location filename="../messages.py" line="245" />
        <source>right index</source>
        <translation>右手人差し指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="246" />
        <source>left index</source>
        <translation>左手人差し指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="254" />
        <source>finger {n}</source>
        <translation>指 {n}</translation>
    </message>
    <message>
        <location filename="../messages.py" line="261" />
        <source>Indefinite</source>
        <translation>無期限</translation>
    </message>
    <message>
        <location filename="../messages.py" line="263" />
        <source>Designated period</source>
        <translation>指定期間</translation>
    </message>
    <message>
        <location filename="../messages.py" line="265" />
        <source>Duration of mission</source>
        <translation>外交活動の期間</translation>
    </message>
    <message>
        <location filename="../messages.py" line="273" />
        <source>{n} years</source>
        <translation>{n} 年</translation>
    </message>
    <message>
        <location filename="../messages.py" line="274" />
        <source>{n} months</source>
        <translation>{n} か月</translation>
    </message>
    <message>
        <location filename="../messages.py" line="275" />
        <source>{n} days</source>
        <translation>{n} 日</translation>
    </message>
    <message>
        <location filename="../messages.py" line="284" />
        <source>Document</source>
        <translation>旅券</translation>
    </message>
    <message>
        <location filename="../messages.py" line="286" />
        <source>Fingerprints</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../messages.py" line="287" />
        <source>Checks</source>
        <translation>照合</translation>
    </message>
    <message>
        <location filename="../messages.py" line="288" />
        <location filename="../outbox_view.py" line="60" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../messages.py" line="289" />
        <source>Closed</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../messages.py" line="295" />
        <source>Landing permitted</source>
        <translation>上陸許可</translation>
    </message>
    <message>
        <location filename="../messages.py" line="296" />
        <source>Referred to secondary inspection</source>
        <translation>二次審査へ回付</translation>
    </message>
    <message>
        <location filename="../messages.py" line="299" />
        <source>Landing refused</source>
        <translation>上陸拒否</translation>
    </message>
    <message>
        <location filename="../messages.py" line="311" />
        <source>another person would score this high less than 1 in {n} times</source>
        <translation>別人がこれほど似る確率は {n} 分の1 未満</translation>
    </message>
    <message>
        <location filename="../messages.py" line="314" />
        <source>another person would score this high about 1 in {n} times</source>
        <translation>別人がこれほど似る確率は約 {n} 分の1</translation>
    </message>
    <message>
        <location filename="../messages.py" line="321" />
        <source>Face matches the document photo</source>
        <translation>顔は旅券の写真と一致</translation>
    </message>
    <message>
        <location filename="../messages.py" line="322" />
        <source>Face does NOT match the document photo</source>
        <translation>顔が旅券の写真と一致しません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="325" />
        <source>The document has no photo to compare</source>
        <translation>旅券に照合用の写真がありません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="328" />
        <source>No face found in the live capture: retake it</source>
        <translation>撮影画像に顔が見つかりません。撮り直してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="331" />
        <source>No face found in the document photo</source>
        <translation>旅券の写真に顔が見つかりません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="340" />
        <source>Exactly one face must be in view</source>
        <translation>カメラに写る顔は1人だけにしてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="341" />
        <source>Move closer to the camera</source>
        <translation>カメラに近づいてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="342" />
        <source>Look straight at the camera</source>
        <translation>カメラを正面から見てください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="343" />
        <source>Keep the head level</source>
        <translation>顔を上下に傾けないでください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="344" />
        <source>Keep the head upright</source>
        <translation>顔を左右に傾けないでください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="345" />
        <source>Open the eyes</source>
        <translation>目を開けてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="346" />
        <source>Hold still: the image is blurred</source>
        <translation>動かないでください（画像がぶれています）</translation>
    </message>
    <message>
        <location filename="../messages.py" line="347" />
        <source>Lighting too dark or too bright</source>
        <translation>照明が暗すぎるか明るすぎます</translation>
    </message>
    <message>
        <location filename="../messages.py" line="348" />
        <source>Low contrast: check the lighting</source>
        <translation>コントラストが不足しています。照明を確認してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="349" />
        <source>No natural movement: ask the traveller to blink</source>
        <translation>自然な動きがありません。まばたきをお願いしてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="358" />
        <source>Chip verified: data signed by a trusted authority.</source>
        <translation>ICチップ検証済み: 信頼できる発行機関の署名があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="361" />
        <source>Chip data does not match its signature: possible forgery.</source>
        <translation>ICチップのデータが署名と一致しません。偽造の可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="364" />
        <source>Chip signed by an authority not in the trust list.</source>
        <translation>ICチップの署名者が信頼リストにありません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="367" />
        <source>Chip data was changed after issue: possible forgery.</source>
        <translation>ICチップのデータが発行後に変更されています。偽造の可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="370" />
        <source>The chip failed its own authentication: possible cloned chip.</source>
        <translation>ICチップが自己認証に失敗しました。複製の可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="373" />
        <source>No signature on the chip (normal for a holder under 16).</source>
        <translation>ICチップに署名がありません（16歳未満の所持人では正常）。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="376" />
        <source>The chip refused access.</source>
        <translation>ICチップがアクセスを拒否しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="377" />
        <source>The chip refused the card number.</source>
        <translation>ICチップが在留カード番号を受け付けません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="380" />
        <source>The chip could not be read completely.</source>
        <translation>ICチップを完全には読み取れませんでした。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="389" />
        <source>No finger on the scanner: place the finger flat on the glass</source>
        <translation>スキャナに指がありません：指をガラス面に平らに置いてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="392" />
        <source>Press a little harder, with the finger flat and in the centre</source>
        <translation>指を平らに中央へ置き、もう少し強く押してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="395" />
        <source>Finger too wet or pressed too hard: wipe it dry and press gently</source>
        <translation>指が湿りすぎているか強く押しすぎています：水分を拭き取り、軽く押してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="398" />
        <source>Finger too dry: breathe on the fingertip, then place it again</source>
        <translation>指が乾燥しすぎています：指先に息を吹きかけてから置き直してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="401" />
        <source>Quality below the threshold: retake</source>
        <translation>品質が基準値未満です：取り直してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="404" />
        <source>The ridges look scarred or altered: look at the finger, and refer if in doubt</source>
        <translation>隆線に傷や改変の疑いがあります：指を目視で確認し、疑わしい場合は二次審査に回付してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="414" />
        <source>Missing finger</source>
        <translation>欠損指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="415" />
        <source>Injured finger</source>
        <translation>負傷指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="416" />
        <source>Unusable (no readable print)</source>
        <translation>採取不能（判読できる指紋なし）</translation>
    </message>
    <message>
        <location filename="../messages.py" line="423" />
        <source>Right thumb</source>
        <translation>右手親指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="424" />
        <source>Right index</source>
        <translation>右手人差し指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="425" />
        <source>Right middle</source>
        <translation>右手中指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="426" />
        <source>Right ring</source>
        <translation>右手薬指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="427" />
        <source>Right little</source>
        <translation>右手小指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="428" />
        <source>Left thumb</source>
        <translation>左手親指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="429" />
        <source>Left index</source>
        <translation>左手人差し指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="430" />
        <source>Left middle</source>
        <translation>左手中指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="431" />
        <source>Left ring</source>
        <translation>左手薬指</translation>
    </message>
    <message>
        <location filename="../messages.py" line="432" />
        <source>Left little</source>
        <translation>左手小指</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="51" />
        <source>queued</source>
        <translation>送信待ち</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="52" />
        <source>sent, awaiting answer</source>
        <translation>送信済み・応答待ち</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="53" />
        <source>acknowledged</source>
        <translation>受領確認</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="54" />
        <source>rejected</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="61" />
        <source>Encounter</source>
        <translation>照会記録</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="62" />
        <source>Enrolment</source>
        <translation>登録</translation>
    </message>
</context>
<context>
    <name>MrzDialog</name>
    <message>
        <location filename="../mrz_dialog.py" line="39" />
        <source>Enter the MRZ</source>
        <translation>MRZの入力</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="43" />
        <source>Type the lines at the bottom of the data page exactly, one line per row.</source>
        <translation>身分事項ページ下部の行を、1行ずつ正確に入力してください。</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="61" />
        <source>Read from an image…</source>
        <translation>画像から読み取る…</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="80" />
        <source>Scanned data page</source>
        <translation>読み取った身分事項ページ</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="82" />
        <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</source>
        <translation>画像 (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="87" />
        <source>Reading the MRZ from the image…</source>
        <translation>画像からMRZを読み取り中…</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="108" />
        <source>Passports have 2 lines of 44 characters; cards 3 of 30.</source>
        <translation>旅券は44文字×2行、カードは30文字×3行です。</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="119" />
        <source>Valid {format}: every check digit matches.</source>
        <translation>{format} として有効: すべてのチェックディジットが一致します。</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="130" />
        <source>document number</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="131" />
        <source>date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="132" />
        <source>date of expiry</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="133" />
        <source>personal number</source>
        <translation>個人番号欄</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="134" />
        <source>composite (whole line)</source>
        <translation>総合（行全体）</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="138" />
        <source>Check digit wrong: {field}. Compare that field with the page.</source>
        <translation>チェックディジットが一致しません: {field}。旅券の記載と照らし合わせてください。</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="142" />
        <source>Only A–Z, 0–9 and &lt; are allowed.</source>
        <translation>使用できる文字は A–Z、0–9、&lt; のみです。</translation>
    </message>
    <message>
        <location filename="../mrz_dialog.py" line="143" />
        <source>Not complete yet: 2 lines of 44 (passport) or 3 lines of 30 (card).</source>
        <translation>未完成です: 旅券は44文字×2行、カードは30文字×3行です。</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <location filename="../outbox_view.py" line="183" />
        <source>Records to upload</source>
        <translation>送信待ちの記録</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="184" />
        <location filename="../outbox_view.py" line="192" />
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="185" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="186" />
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="187" />
        <source>Outbox: newest first</source>
        <translation>送信キュー（新しい順）</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="190" />
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="191" />
        <source>Record ID</source>
        <translation>記録ID</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="193" />
        <source>Attempts</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="194" />
        <source>Last error</source>
        <translation>直近のエラー</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="195" />
        <source>Created</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="196" />
        <source>Last attempt</source>
        <translation>最終試行日時</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="202" />
        <source>All ({n})</source>
        <translation>すべて ({n})</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="249" />
        <source>{shown} of {total} records shown · read at {time}</source>
        <translation>{total} 件中 {shown} 件を表示 · {time} 読込</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <location filename="../landing.py" line="145" />
        <source>1 Document</source>
        <translation>1 旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="146" />
        <source>2 Face</source>
        <translation>2 顔</translation>
    </message>
    <message>
        <location filename="../landing.py" line="147" />
        <source>3 Fingerprints</source>
        <translation>3 指紋</translation>
    </message>
    <message>
        <location filename="../landing.py" line="148" />
        <source>4 Checks</source>
        <translation>4 照合</translation>
    </message>
    <message>
        <location filename="../landing.py" line="149" />
        <source>5 Decision</source>
        <translation>5 判定</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../qt_main.py" line="35" />
        <source>Unexpected error</source>
        <translation>予期しないエラー</translation>
    </message>
    <message>
        <location filename="../qt_main.py" line="37" />
        <source>An unexpected error occurred ({name}). Every saved step of the open case is kept.</source>
        <translation>予期しないエラーが発生しました（{name}）。処理中の案件の保存済みの手順はすべて保持されています。</translation>
    </message>
</context>
</TS>